<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AccountDialog</name>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Подключить</translation>
    </message>
    <message>
        <source>Add mail account</source>
        <translation>Подключение почтового ящика</translation>
    </message>
    <message>
        <source>Allow servers without encryption (not recommended)</source>
        <translation>Разрешить серверы без шифрования (не рекомендуется)</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Check for mail every</source>
        <translation>Проверять почту каждые</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>Company CA file</source>
        <translation>Файл CA компании</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Адрес почты</translation>
    </message>
    <message>
        <source>Enter the password of the mailbox.</source>
        <translation>Введите пароль почтового ящика.</translation>
    </message>
    <message>
        <source>Incoming mail (IMAP)</source>
        <translation>Входящая почта (IMAP)</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Outgoing mail (SMTP)</source>
        <translation>Исходящая почта (SMTP)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring, never in the database.</source>
        <translation>Пароль хранится в системном хранилище паролей и никогда не попадает в базу данных.</translation>
    </message>
    <message>
        <source>Without TLS the password and every letter cross the network readable by anyone on the way. Use only inside a trusted network.</source>
        <translation>Без TLS пароль и каждое письмо идут по сети открытым текстом, и их может прочитать любой по пути. Используйте только в доверенной сети.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ваше имя</translation>
    </message>
    <message>
        <source>none: the system&apos;s trusted certificates</source>
        <translation>нет: доверенные сертификаты системы</translation>
    </message>
    <message>
        <source>the email address</source>
        <translation>адрес почты</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Only an administrator can change this; you can see it.</source>
        <translation>Изменять это может только администратор; вам доступен просмотр.</translation>
    </message>
</context>
<context>
    <name>AgendaMoves</name>
    <message>
        <source>Choose date and time…</source>
        <translation>Выбрать дату и время…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Выполнено</translation>
    </message>
    <message>
        <source>Edit task…</source>
        <translation>Изменить задачу…</translation>
    </message>
    <message>
        <source>In 3 days</source>
        <translation>Через 3 дня</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>На следующей неделе</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Remove task…</source>
        <translation>Удалить задачу…</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Перенести</translation>
    </message>
    <message>
        <source>Tomorrow morning</source>
        <translation>Завтра утром</translation>
    </message>
</context>
<context>
    <name>AgendaPanel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 из %2</translation>
    </message>
    <message>
        <source>Calls, meetings and tasks you plan show here by day. Press Ctrl+N to plan the next step, or open a card and plan it there.</source>
        <translation>Здесь по дням видны запланированные звонки, встречи и задачи. Нажмите Ctrl+N, чтобы запланировать следующий шаг, или откройте карточку и запланируйте его там.</translation>
    </message>
    <message>
        <source>Client or lead</source>
        <translation>Клиент или лид</translation>
    </message>
    <message>
        <source>Could not load the agenda</source>
        <translation>Не удалось загрузить мои дела</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Выполнено</translation>
    </message>
    <message>
        <source>Edit the selected task (F2)</source>
        <translation>Изменить выбранную задачу (F2)</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>It was planned for %1. Mark it done at:</source>
        <translation>Было запланировано на %1. Отметить выполненным:</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Позже</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Mark the selected interaction done (Ctrl+D)</source>
        <translation>Отметить выбранное взаимодействие выполненным (Ctrl+D)</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Упоминания</translation>
    </message>
    <message>
        <source>Move the selected interaction to another day or time (Ctrl+R)</source>
        <translation>Перенести выбранное взаимодействие на другой день или время (Ctrl+R)</translation>
    </message>
    <message>
        <source>My agenda</source>
        <translation>Мои дела</translation>
    </message>
    <message>
        <source>No one has mentioned you yet.</source>
        <translation>Вас пока никто не упоминал.</translation>
    </message>
    <message>
        <source>Nothing planned</source>
        <translation>Ничего не запланировано</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Open the card of the selected item (Enter)</source>
        <translation>Открыть карточку выбранной записи (Enter)</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Просрочено</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Перенести</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>На этой неделе</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>When did it happen?</source>
        <translation>Когда это было?</translation>
    </message>
</context>
<context>
    <name>AiConnectionTest</name>
    <message>
        <source>Connected: %1 answered %2.</source>
        <translation>Подключено: %1 ответила %2.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверка…</translation>
    </message>
</context>
<context>
    <name>AiPage</name>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>%1. Local servers need no key.</source>
        <translation>%1. Локальным серверам ключ не нужен.</translation>
    </message>
    <message>
        <source>A key is saved in the system keyring.</source>
        <translation>Ключ сохранён в системном хранилище паролей.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-ключ</translation>
    </message>
    <message>
        <source>Added to the instructions of every draft, as shown below.</source>
        <translation>Добавляются к указаниям для каждого черновика, как показано ниже.</translation>
    </message>
    <message>
        <source>An example draft from an AI template that answers the client&apos;s last letter. The instructions and your house rules go out exactly like this; the client&apos;s letter goes in as data, which the AI is told never to obey.</source>
        <translation>Пример черновика по шаблону с ИИ, который отвечает на последнее письмо клиента. Указания и правила компании отправляются ровно так; письмо клиента передаётся как данные, и ИИ велено никогда не выполнять написанное в нём.</translation>
    </message>
    <message>
        <source>Answer Ivan Petrovich from Romashka LLC on his letter %1. Confirm the delivery date and offer a call on Friday.</source>
        <translation>Ответь Ивану Петровичу из ООО «Ромашка» на его письмо %1. Подтверди дату поставки и предложи созвониться в пятницу.</translation>
    </message>
    <message>
        <source>Asks the model for a one-word answer; unsaved changes are saved first</source>
        <translation>Просит модель ответить одним словом; несохранённые изменения сначала сохраняются</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Примеры</translation>
    </message>
    <message>
        <source>Fill in the address of a known server</source>
        <translation>Подставить адрес известного сервера</translation>
    </message>
    <message>
        <source>Forget the API key</source>
        <translation>Забыть API-ключ</translation>
    </message>
    <message>
        <source>Forget the key</source>
        <translation>Забыть ключ</translation>
    </message>
    <message>
        <source>Forget the key…</source>
        <translation>Забыть ключ…</translation>
    </message>
    <message>
        <source>Good afternoon! Please send the invoice for the second batch and confirm that the delivery arrives by Friday.
Regards, Ivan Petrov</source>
        <translation>Добрый день! Пришлите, пожалуйста, счёт на вторую партию и подтвердите, что поставка придёт до пятницы.
С уважением, Иван Петров</translation>
    </message>
    <message>
        <source>House rules</source>
        <translation>Правила компании</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>No key saved. Local servers need none.</source>
        <translation>Ключ не сохранён. Локальным серверам он не нужен.</translation>
    </message>
    <message>
        <source>Ollama, llama.cpp server and LM Studio run on this computer: drafts are written offline, client data stays here and no key is needed. Pick one under Examples.</source>
        <translation>Ollama, llama.cpp server и LM Studio работают на этом компьютере: черновики пишутся без интернета, данные клиентов остаются здесь, ключ не нужен. Выберите сервер в «Примерах».</translation>
    </message>
    <message>
        <source>Re: Delivery</source>
        <translation>Re: Поставка</translation>
    </message>
    <message>
        <source>Remove the saved API key from the system keyring? Drafts from this server need it to be entered again.</source>
        <translation>Удалить сохранённый API-ключ из системного хранилища паролей? Для черновиков с этого сервера его придётся ввести снова.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>The key is forgotten.</source>
        <translation>Ключ удалён.</translation>
    </message>
    <message>
        <source>The model&apos;s instructions, and the mark [see &lt;data …&gt; below] where the letter goes, are sent in English in every language of the window: a template then sends the same request whoever uses it, scenario steps run by run-due too, and the mark matches the instructions word for word. The model writes in the language of the request.</source>
        <translation>Указания модели и метка [see &lt;data …&gt; below] на месте письма уходят на английском при любом языке окна: так шаблон отправляет один и тот же запрос, кто бы им ни пользовался (и шаги сценариев, которые выполняет run-due), а метка дословно совпадает с указаниями. Модель пишет на языке запроса.</translation>
    </message>
    <message>
        <source>Wait for an answer up to</source>
        <translation>Ждать ответа не дольше</translation>
    </message>
    <message>
        <source>What is sent — an example</source>
        <translation>Что отправляется — пример</translation>
    </message>
    <message>
        <source>cannot be stored on this computer</source>
        <translation>на этом компьютере не сохранить</translation>
    </message>
    <message>
        <source>e.g. Address clients formally. Sign letters with the manager&apos;s name.</source>
        <translation>например, Обращайтесь к клиенту на «вы». Подписывайте письмо именем менеджера.</translation>
    </message>
    <message>
        <source>e.g. llama3.1 (Ollama) or gpt-4o-mini (OpenAI)</source>
        <translation>например, llama3.1 (Ollama) или gpt-4o-mini (OpenAI)</translation>
    </message>
    <message>
        <source>empty: AI drafting is off</source>
        <translation>пусто: черновики с ИИ выключены</translation>
    </message>
    <message>
        <source>instructions for the model</source>
        <translation>указания модели</translation>
    </message>
    <message>
        <source>only for servers that ask for one</source>
        <translation>только для серверов, которые его требуют</translation>
    </message>
    <message>
        <source>the request</source>
        <translation>запрос</translation>
    </message>
    <message>
        <source>type a new key to replace the saved one</source>
        <translation>введите новый ключ, чтобы заменить сохранённый</translation>
    </message>
</context>
<context>
    <name>ApplyScenarioDialog</name>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Apply a scenario</source>
        <translation>Применить сценарий</translation>
    </message>
    <message>
        <source>Apply a scenario to %1</source>
        <translation>Применить сценарий к %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>No active scenarios: create one in Settings → Scenarios, or make one active.</source>
        <translation>Нет активных сценариев: создайте сценарий в Настройки → Сценарии или сделайте существующий активным.</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>The client has no contact persons: add one first; the steps are with them.</source>
        <translation>У клиента нет контактных лиц: сначала добавьте контакт — шаги сценария проводятся с ним.</translation>
    </message>
    <message>
        <source>The steps, with their dates:</source>
        <translation>Шаги и их даты:</translation>
    </message>
    <message>
        <source>This scenario has no steps.</source>
        <translation>В этом сценарии нет шагов.</translation>
    </message>
    <message>
        <source>With</source>
        <translation>С кем</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <source>%1 B</source>
        <translation>%1 Б</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 КБ</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <source>%1 is a program or a script: opening it runs it on this computer. Open it only if you trust the sender.</source>
        <translation>%1 — программа или сценарий: если открыть файл, он запустится на этом компьютере. Открывайте, только если доверяете отправителю.</translation>
    </message>
    <message>
        <source>Add a file</source>
        <translation>Добавить файл</translation>
    </message>
    <message>
        <source>Add a file to the card</source>
        <translation>Добавить файл в карточку</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлен</translation>
    </message>
    <message>
        <source>Attachment %1 removed</source>
        <translation>Вложение %1 удалено</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Files from letters with this client, and files you add, are listed here.</source>
        <translation>Здесь будут файлы из писем этого клиента и файлы, которые вы добавите.</translation>
    </message>
    <message>
        <source>No attachments</source>
        <translation>Вложений нет</translation>
    </message>
    <message>
        <source>No program to open %1 was found</source>
        <translation>Не найдена программа, чтобы открыть %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Open a program?</source>
        <translation>Открыть программу?</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove %1 from the card? It is removed for everyone who sees the card.</source>
        <translation>Удалить %1 из карточки? Файл пропадёт у всех, кто видит карточку.</translation>
    </message>
    <message>
        <source>Remove attachment</source>
        <translation>Удалить вложение</translation>
    </message>
    <message>
        <source>Remove the file from the card (Del)</source>
        <translation>Удалить файл из карточки (Del)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Сохранить как…</translation>
    </message>
    <message>
        <source>Save the attachment</source>
        <translation>Сохранить вложение</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Сохранено: %1</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
</context>
<context>
    <name>BoardPanel</name>
    <message numerus="yes">
        <source>%n open deal(s)</source>
        <translation>
            <numerusform>%n открытая сделка</numerusform>
            <numerusform>%n открытые сделки</numerusform>
            <numerusform>%n открытых сделок</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Pipeline</source>
        <translation>&amp;Воронка</translation>
    </message>
    <message>
        <source>Enter opens the deal · %1 / %2 move it to the previous or next stage</source>
        <translation>Enter открывает сделку · %1 / %2 переносят её на предыдущий или следующий этап</translation>
    </message>
    <message>
        <source>No next step</source>
        <translation>Нет след. шага</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Add a day off…</source>
        <translation>Добавить выходной…</translation>
    </message>
    <message>
        <source>Add a working day…</source>
        <translation>Добавить рабочий день…</translation>
    </message>
    <message>
        <source>As the phone region</source>
        <translation>Как регион телефонов</translation>
    </message>
    <message>
        <source>As the phone region (%1)</source>
        <translation>Как регион телефонов (%1)</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Страна</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Holiday or note</source>
        <translation>Праздник или примечание</translation>
    </message>
    <message>
        <source>Moved by decree</source>
        <translation>Перенос по постановлению</translation>
    </message>
    <message>
        <source>New day off</source>
        <translation>Новый выходной</translation>
    </message>
    <message>
        <source>New working day</source>
        <translation>Новый рабочий день</translation>
    </message>
    <message>
        <source>No holiday calendar for %1: only Saturdays and Sundays are days off, plus the days added here.</source>
        <translation>Для %1 нет календаря праздников: выходные — только субботы, воскресенья и дни, добавленные здесь.</translation>
    </message>
    <message>
        <source>No public holidays on weekdays and no moved days in %1.</source>
        <translation>В %1 году нет праздников в будни и перенесённых дней.</translation>
    </message>
    <message>
        <source>Public holiday</source>
        <translation>Праздник</translation>
    </message>
    <message>
        <source>Public holidays come with Touchpoint: add a working day to override one.</source>
        <translation>Праздники поставляются с Touchpoint: чтобы отменить праздник, добавьте рабочий день.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Scenario steps wait the number of working days set in the step: Saturdays, Sundays and public holidays are skipped, except the days moved below. Changing the calendar moves the dates of steps not done yet.</source>
        <translation>Шаги сценария ждут заданное в шаге число рабочих дней: субботы, воскресенья и праздники пропускаются, кроме перенесённых дней из списка ниже. Изменение календаря сдвигает даты ещё не выполненных шагов.</translation>
    </message>
    <message>
        <source>Set here</source>
        <translation>Задан здесь</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Год</translation>
    </message>
    <message>
        <source>day off</source>
        <translation>выходной</translation>
    </message>
    <message>
        <source>working day</source>
        <translation>рабочий день</translation>
    </message>
</context>
<context>
    <name>CallImportDialog</name>
    <message>
        <source>A CSV file exported from the PBX</source>
        <translation>CSV-файл, выгруженный из АТС</translation>
    </message>
    <message>
        <source>Asterisk (Master.csv, no header)</source>
        <translation>Asterisk (Master.csv, без заголовка)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Call logs (*.csv *.txt);;All files (*)</source>
        <translation>Журналы звонков (*.csv *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Calls with a number that is on a card go to its feed; the others wait until the number is added. Importing the same file again changes nothing.</source>
        <translation>Звонки с номером из карточки попадают в её ленту, остальные ждут, пока номер не добавят. Повторный импорт того же файла ничего не меняет.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
    <message>
        <source>FreePBX (CDR report export)</source>
        <translation>FreePBX (выгрузка отчёта CDR)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <source>Import a call log</source>
        <translation>Импорт журнала звонков</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Строка %1: %2</translation>
    </message>
    <message>
        <source>New calls: %1 · already there: %2 · skipped: %3 · linked to cards: %4</source>
        <translation>Новых звонков: %1 · уже были: %2 · пропущено: %3 · привязано к карточкам: %4</translation>
    </message>
    <message>
        <source>Other CSV (columns started_at, direction, number, …)</source>
        <translation>Другой CSV (столбцы started_at, direction, number, …)</translation>
    </message>
    <message>
        <source>The import failed.</source>
        <translation>Импорт не удался.</translation>
    </message>
    <message>
        <source>There is no file %1</source>
        <translation>Файла %1 нет</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… и ещё %1</translation>
    </message>
</context>
<context>
    <name>CallSummary</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>отвечен</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>занято</translation>
    </message>
    <message>
        <source>call</source>
        <translation>звонок</translation>
    </message>
    <message>
        <source>ext. %1</source>
        <translation>доб. %1</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>не состоялся</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>пропущен</translation>
    </message>
    <message>
        <source>network busy</source>
        <translation>сеть перегружена</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>без ответа</translation>
    </message>
</context>
<context>
    <name>CardHeader</name>
    <message>
        <source>%1 local time (same as yours)</source>
        <translation>%1 — местное время (как у вас)</translation>
    </message>
    <message>
        <source>%1 local time in %2</source>
        <translation>%1 — местное время, %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>+ Add</source>
        <translation>+ Добавить</translation>
    </message>
    <message>
        <source>Add a phone or email; earlier letters and calls with it join the feed</source>
        <translation>Добавить телефон или email; прежние письма и звонки с ним появятся в ленте</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>В архив</translation>
    </message>
    <message>
        <source>Call %1</source>
        <translation>Позвонить: %1</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Convert to client…</source>
        <translation>Сделать клиентом…</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Edit, archive, add a contact person or a deal (F2)</source>
        <translation>Изменить, отправить в архив, добавить контактное лицо или сделку (F2)</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Log a call or plan a meeting (Ctrl+N)</source>
        <translation>Записать звонок или запланировать встречу (Ctrl+N)</translation>
    </message>
    <message>
        <source>Log interaction…</source>
        <translation>Новое взаимодействие…</translation>
    </message>
    <message>
        <source>New contact person…</source>
        <translation>Новое контактное лицо…</translation>
    </message>
    <message>
        <source>New deal…</source>
        <translation>Новая сделка…</translation>
    </message>
    <message>
        <source>No phone or email on this card</source>
        <translation>В карточке нет ни телефона, ни почты</translation>
    </message>
    <message>
        <source>Owner: %1</source>
        <translation>Ответственный: %1</translation>
    </message>
    <message>
        <source>Share…</source>
        <translation>Поделиться…</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>Написать: %1</translation>
    </message>
</context>
<context>
    <name>CardLine</name>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Open the card this record belongs to (double-click or Enter on the line)</source>
        <translation>Открыть карточку, к которой относится запись (или двойной щелчок либо Enter на строке)</translation>
    </message>
    <message>
        <source>The record is no longer on this laptop: there is no card to open</source>
        <translation>Записи больше нет на этом ноутбуке: открыть нечего</translation>
    </message>
</context>
<context>
    <name>CardSide</name>
    <message>
        <source>Fields</source>
        <translation>Поля</translation>
    </message>
    <message>
        <source>Quick add</source>
        <translation>Быстрое добавление</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>Сценарии</translation>
    </message>
</context>
<context>
    <name>CardTabs</name>
    <message>
        <source>Attachments</source>
        <translation>Вложения</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Contacts (%1)</source>
        <translation>Контактные лица (%1)</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>Сделки</translation>
    </message>
    <message>
        <source>Deals (%1)</source>
        <translation>Сделки (%1)</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Лента</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История изменений</translation>
    </message>
    <message>
        <source>Inbound requests</source>
        <translation>Обращения</translation>
    </message>
    <message>
        <source>No changes recorded yet</source>
        <translation>Изменений пока нет</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Поддержка</translation>
    </message>
    <message>
        <source>Who changed which field and when shows here.</source>
        <translation>Здесь видно, кто, когда и какое поле изменил.</translation>
    </message>
</context>
<context>
    <name>CardWidget</name>
    <message>
        <source>This card cannot be opened</source>
        <translation>Эту карточку не удалось открыть</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Повторить</translation>
    </message>
</context>
<context>
    <name>ChainPreview</name>
    <message>
        <source>Choose a client to see the dates of every step.</source>
        <translation>Выберите клиента, чтобы увидеть даты всех шагов.</translation>
    </message>
    <message>
        <source>Dates for</source>
        <translation>Даты для</translation>
    </message>
    <message>
        <source>If applied now:</source>
        <translation>Если применить сейчас:</translation>
    </message>
    <message>
        <source>Save the scenario to see its dates for a client.</source>
        <translation>Сохраните сценарий, чтобы увидеть его даты для клиента.</translation>
    </message>
    <message>
        <source>The dates are those of the saved chain: save to see yours.</source>
        <translation>Даты показаны для сохранённой цепочки: сохраните, чтобы увидеть свои.</translation>
    </message>
    <message>
        <source>The scenario has no steps yet.</source>
        <translation>В сценарии пока нет шагов.</translation>
    </message>
    <message>
        <source>Type a client&apos;s name</source>
        <translation>Введите название клиента</translation>
    </message>
</context>
<context>
    <name>ComposeDialog</name>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>From</source>
        <translation>От кого</translation>
    </message>
    <message>
        <source>New letter</source>
        <translation>Новое письмо</translation>
    </message>
    <message>
        <source>Pick a time in the future, or send now</source>
        <translation>Выберите время в будущем или отправьте сейчас</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Запланировать</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Send at</source>
        <translation>Отправить в</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Отправить сейчас</translation>
    </message>
    <message>
        <source>Send or schedule the letter (%1)</source>
        <translation>Отправить или запланировать письмо (%1)</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Шаблон</translation>
    </message>
    <message>
        <source>The mail server cannot be reached now: the letter waits in the outbox and is sent when the connection is back.</source>
        <translation>Почтовый сервер сейчас недоступен: письмо подождёт в исходящих и уйдёт, когда связь восстановится.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>What is sent to the AI server</source>
        <translation>Что отправляется на сервер ИИ</translation>
    </message>
    <message>
        <source>What the letter is about</source>
        <translation>О чём письмо</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>name@example.com, another@example.com</source>
        <translation>name@example.com, another@example.com</translation>
    </message>
    <message>
        <source>now</source>
        <translation>сейчас</translation>
    </message>
</context>
<context>
    <name>ConflictBanner</name>
    <message numerus="yes">
        <source>%n field(s) conflict after sync</source>
        <translation>
            <numerusform>После синхронизации конфликтует %n поле</numerusform>
            <numerusform>После синхронизации конфликтуют %n поля</numerusform>
            <numerusform>После синхронизации конфликтуют %n полей</numerusform>
        </translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Разобрать</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Исполнитель</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Contact persons</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Nothing was saved. For each field, keep your value or take the one saved meanwhile, then save again.</source>
        <translation>Ничего не сохранено. Для каждого поля оставьте своё значение или возьмите сохранённое за это время, затем сохраните снова.</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Сохранено: %1</translation>
    </message>
    <message>
        <source>Someone else saved this meanwhile</source>
        <translation>Кто-то другой сохранил это за это время</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <source>Yours: %1</source>
        <translation>Ваше: %1</translation>
    </message>
</context>
<context>
    <name>ConflictRow</name>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1: %2 · %3</source>
        <translation>%1: %2 · %3</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Оставить моё</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>Оставить с сервера</translation>
    </message>
    <message>
        <source>On the server:</source>
        <translation>На сервере:</translation>
    </message>
    <message>
        <source>On this laptop:</source>
        <translation>На этом ноутбуке:</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>кто-то</translation>
    </message>
</context>
<context>
    <name>ContactsTab</name>
    <message>
        <source>Add the people you talk to at this client with “New contact person” above.</source>
        <translation>Добавьте людей, с которыми вы общаетесь у этого клиента, кнопкой «Новое контактное лицо» выше.</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <source>New contact person</source>
        <translation>Новое контактное лицо</translation>
    </message>
    <message>
        <source>No contact persons yet</source>
        <translation>Контактных лиц пока нет</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Copied</source>
        <translation>Скопировано</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Скопировать подробности</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Скрыть подробности</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Показать подробности</translation>
    </message>
    <message>
        <source>The details are also written to %1.</source>
        <translation>Подробности также записаны в %1.</translation>
    </message>
    <message>
        <source>Touchpoint ran into a problem it did not expect. Your saved data is safe; the last action may not have been completed.</source>
        <translation>В Touchpoint произошла непредвиденная ошибка. Сохранённые данные не пострадали, но последнее действие могло не выполниться.</translation>
    </message>
    <message>
        <source>Touchpoint — unexpected error</source>
        <translation>Touchpoint — непредвиденная ошибка</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>CA file</source>
        <translation>Файл центра сертификации</translation>
    </message>
    <message>
        <source>Connected as %1 to PostgreSQL %2; %3; %4.</source>
        <translation>Подключено как %1 к PostgreSQL %2; %3; %4.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <source>Encrypt (TLS) and verify the server&apos;s certificate</source>
        <translation>Шифровать (TLS) и проверять сертификат сервера</translation>
    </message>
    <message>
        <source>Encrypted (%1)</source>
        <translation>Зашифровано (%1)</translation>
    </message>
    <message>
        <source>In use: %1</source>
        <translation>Сейчас: %1</translation>
    </message>
    <message>
        <source>Not encrypted</source>
        <translation>Без шифрования</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>Saved: Touchpoint uses this server from its next start.</source>
        <translation>Сохранено: Touchpoint будет работать с этим сервером после перезапуска.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>The server and the database on this computer cannot be chosen while it works offline: the copy syncs with its own server. To work on the server again, or on a database of this computer, stop working offline below and restart Touchpoint.</source>
        <translation>Пока ноутбук работает офлайн, сервер и базу на этом компьютере выбрать нельзя: копия синхронизируется со своим сервером. Чтобы снова работать на сервере или с базой на этом компьютере, завершите работу офлайн ниже и перезапустите Touchpoint.</translation>
    </message>
    <message>
        <source>This laptop works on its offline copy of %1, as %2.</source>
        <translation>Этот ноутбук работает со своей копией %1 как %2.</translation>
    </message>
    <message>
        <source>Touchpoint uses the database on this computer from its next start.</source>
        <translation>Touchpoint будет работать с базой на этом компьютере после перезапуска.</translation>
    </message>
    <message>
        <source>Use the database on this computer</source>
        <translation>Использовать базу на этом компьютере</translation>
    </message>
    <message>
        <source>Use this server</source>
        <translation>Использовать этот сервер</translation>
    </message>
    <message>
        <source>Your login</source>
        <translation>Ваш логин</translation>
    </message>
    <message>
        <source>a team database</source>
        <translation>командная база</translation>
    </message>
    <message>
        <source>kept in the system keyring</source>
        <translation>хранится в системной связке ключей</translation>
    </message>
    <message>
        <source>not set up as a team database</source>
        <translation>не настроена как командная база</translation>
    </message>
    <message>
        <source>the system&apos;s certificate authorities</source>
        <translation>центры сертификации системы</translation>
    </message>
</context>
<context>
    <name>DealDelegate</name>
    <message>
        <source>No step</source>
        <translation>Без шага</translation>
    </message>
</context>
<context>
    <name>DealDialog</name>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>Edit deal</source>
        <translation>Изменить сделку</translation>
    </message>
    <message>
        <source>New deal</source>
        <translation>Новая сделка</translation>
    </message>
    <message>
        <source>Next call</source>
        <translation>Следующий звонок</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Воронка</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
</context>
<context>
    <name>DealsTab</name>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыта</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Deals with this client appear here: start one with “New deal” above.</source>
        <translation>Здесь появятся сделки с этим клиентом: начните новую кнопкой «Новая сделка» выше.</translation>
    </message>
    <message>
        <source>New deal</source>
        <translation>Новая сделка</translation>
    </message>
    <message>
        <source>No deals yet</source>
        <translation>Сделок пока нет</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыта</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>The deal list is not available in this version.</source>
        <translation>Список сделок недоступен в этой версии.</translation>
    </message>
</context>
<context>
    <name>DeclineDialog</name>
    <message>
        <source>Decline</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <source>Decline the request</source>
        <translation>Отклонить обращение</translation>
    </message>
    <message>
        <source>Edit list…</source>
        <translation>Изменить список…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>Optional: a word for your colleagues</source>
        <translation>Необязательно: пояснение для коллег</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
</context>
<context>
    <name>DemoOffer</name>
    <message>
        <source>%1 is linked: its mail arrives for the clients you add or import.</source>
        <translation>%1 подключён: письма клиентов, которых вы добавите или импортируете, появятся на их карточках.</translation>
    </message>
    <message>
        <source>%1 of them without values that were not valid (point here for the list).</source>
        <translation>%1 из них — без значений, которые не подошли (наведите указатель, чтобы увидеть список).</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Contacts (*.vcf *.vcard *.csv);;All files (*)</source>
        <translation>Контакты (*.vcf *.vcard *.csv);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Импорт контактов</translation>
    </message>
    <message>
        <source>Import contacts…</source>
        <translation>Импортировать контакты…</translation>
    </message>
    <message>
        <source>Imported: %1 new, %2 updated, %3 refused.</source>
        <translation>Импортировано: новых %1, обновлено %2, отклонено %3.</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Лиды</translation>
    </message>
    <message>
        <source>Link a mailbox…</source>
        <translation>Подключить почтовый ящик…</translation>
    </message>
    <message>
        <source>Load demo data</source>
        <translation>Загрузить демо-данные</translation>
    </message>
    <message>
        <source>Loading demo data…</source>
        <translation>Загружаем демо-данные…</translation>
    </message>
    <message>
        <source>New client…</source>
        <translation>Новый клиент…</translation>
    </message>
    <message>
        <source>No clients yet</source>
        <translation>Клиентов пока нет</translation>
    </message>
    <message>
        <source>Start with your own contacts (a vCard or CSV file), link your mailbox so the mail with clients lands on their cards — or look around with realistic demo data.</source>
        <translation>Начните со своих контактов (файл vCard или CSV), подключите почтовый ящик, чтобы переписка с клиентами попадала в их карточки, — или осмотритесь на реалистичных демо-данных.</translation>
    </message>
    <message>
        <source>Type in your first client (Ctrl+Shift+N)</source>
        <translation>Внести первого клиента вручную (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>vCard (.vcf) or CSV from Google, Outlook or a table</source>
        <translation>vCard (.vcf) или CSV из Google, Outlook или таблицы</translation>
    </message>
</context>
<context>
    <name>DeputiesPage</name>
    <message>
        <source>A deputy stands in for a colleague who is away: until the end you set, the deputy sees the absent colleague&apos;s clients, then no longer.</source>
        <translation>Заместитель замещает отсутствующего коллегу: до указанного срока он видит клиентов отсутствующего, потом — уже нет.</translation>
    </message>
    <message>
        <source>Add a deputy (Ctrl+N)</source>
        <translation>Добавить заместителя (Ctrl+N)</translation>
    </message>
    <message>
        <source>Add a deputy…</source>
        <translation>Добавить заместителя…</translation>
    </message>
    <message>
        <source>Deputy</source>
        <translation>Заместитель</translation>
    </message>
    <message>
        <source>End now</source>
        <translation>Завершить сейчас</translation>
    </message>
    <message>
        <source>End now? %1 will no longer see the clients of %2.</source>
        <translation>Завершить сейчас? %1 больше не будет видеть клиентов: %2.</translation>
    </message>
    <message>
        <source>End the chosen period now (Delete)</source>
        <translation>Завершить выбранное замещение сейчас (Delete)</translation>
    </message>
    <message>
        <source>End the deputy period</source>
        <translation>Завершить замещение</translation>
    </message>
    <message>
        <source>Nobody stands in for anyone now. Going away? Add a deputy (Ctrl+N): a colleague who sees your clients until you are back.</source>
        <translation>Сейчас никто никого не замещает. Уезжаете? Добавьте заместителя (Ctrl+N): коллегу, который будет видеть ваших клиентов, пока вас нет.</translation>
    </message>
    <message>
        <source>Stands in for</source>
        <translation>Замещает</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>До</translation>
    </message>
</context>
<context>
    <name>DeputyDialog</name>
    <message>
        <source>Add a deputy</source>
        <translation>Добавить заместителя</translation>
    </message>
    <message>
        <source>Deputy</source>
        <translation>Заместитель</translation>
    </message>
    <message>
        <source>For whom</source>
        <translation>За кого</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>До</translation>
    </message>
    <message>
        <source>Until then the deputy sees the absent colleague&apos;s clients.</source>
        <translation>До этого времени заместитель видит клиентов отсутствующего коллеги.</translation>
    </message>
</context>
<context>
    <name>DryRunDialog</name>
    <message>
        <source>%1 of %2 requests would go differently.</source>
        <translation>%1 из %2 обращений были бы обработаны иначе.</translation>
    </message>
    <message>
        <source>%1, new lead</source>
        <translation>%1, новый потенциальный клиент</translation>
    </message>
    <message>
        <source>Dry run: the last %1 requests</source>
        <translation>Пробный прогон: последние обращения (%1)</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Создано</translation>
    </message>
    <message>
        <source>Nothing is saved or assigned by a dry run. Rows in colour would go differently with these rules.</source>
        <translation>Пробный прогон ничего не сохраняет и не назначает. Выделенные строки с этими правилами были бы обработаны иначе.</translation>
    </message>
    <message>
        <source>Replaying…</source>
        <translation>Прогоняем…</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <source>Rule now</source>
        <translation>Правило сейчас</translation>
    </message>
    <message>
        <source>Rule then</source>
        <translation>Правило тогда</translation>
    </message>
    <message>
        <source>The dry run failed: %1</source>
        <translation>Пробный прогон не удался: %1</translation>
    </message>
    <message>
        <source>This source has no requests yet to try the rules on.</source>
        <translation>У этого источника ещё нет обращений, на которых можно проверить правила.</translation>
    </message>
    <message>
        <source>Went to</source>
        <translation>Досталось</translation>
    </message>
    <message>
        <source>Would go to</source>
        <translation>Досталось бы</translation>
    </message>
    <message>
        <source>Would make</source>
        <translation>Было бы создано</translation>
    </message>
    <message>
        <source>role %1</source>
        <translation>роль %1</translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message>
        <source>A note</source>
        <translation>Текст примечания</translation>
    </message>
    <message>
        <source>A task</source>
        <translation>Название задачи</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Client name</source>
        <translation>Название клиента</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Имя контактного лица</translation>
    </message>
    <message>
        <source>Deal title</source>
        <translation>Название сделки</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>название на английском</translation>
    </message>
    <message>
        <source>Lead name</source>
        <translation>Имя лида</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Pipeline name</source>
        <translation>Название воронки</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <source>Russian label</source>
        <translation>название на русском</translation>
    </message>
    <message>
        <source>Russian name</source>
        <translation>название на русском</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>Scenario run</source>
        <translation>Запуск сценария</translation>
    </message>
    <message>
        <source>Scenario step</source>
        <translation>Шаг сценария</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Название этапа</translation>
    </message>
    <message>
        <source>The memo</source>
        <translation>Текст заметки</translation>
    </message>
    <message>
        <source>active</source>
        <translation>активен</translation>
    </message>
    <message>
        <source>body</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>bool</source>
        <translation>да/нет</translation>
    </message>
    <message>
        <source>broken IDN domain</source>
        <translation>испорченный IDN-домен</translation>
    </message>
    <message>
        <source>call time</source>
        <translation>Время звонка</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменено</translation>
    </message>
    <message>
        <source>changing settings, users and roles</source>
        <translation>менять настройки, пользователей и роли</translation>
    </message>
    <message>
        <source>characters not allowed before the @</source>
        <translation>недопустимые символы перед @</translation>
    </message>
    <message>
        <source>choice</source>
        <translation>вариант</translation>
    </message>
    <message>
        <source>client</source>
        <translation>клиент</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>выполнить</translation>
    </message>
    <message>
        <source>contact</source>
        <translation>контактное лицо</translation>
    </message>
    <message>
        <source>contains spaces or control characters</source>
        <translation>есть пробелы или управляющие символы</translation>
    </message>
    <message>
        <source>converted</source>
        <translation>преобразовано</translation>
    </message>
    <message>
        <source>creating and changing clients, leads and contact persons</source>
        <translation>создавать и изменять клиентов, лиды и контактных лиц</translation>
    </message>
    <message>
        <source>date</source>
        <translation>дата</translation>
    </message>
    <message>
        <source>deal</source>
        <translation>сделка</translation>
    </message>
    <message>
        <source>done</source>
        <translation>выполнено</translation>
    </message>
    <message>
        <source>importing and exporting</source>
        <translation>импортировать и экспортировать данные</translation>
    </message>
    <message>
        <source>label</source>
        <translation>название</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>лид</translation>
    </message>
    <message>
        <source>list</source>
        <translation>список</translation>
    </message>
    <message>
        <source>logging and planning interactions</source>
        <translation>вести и планировать взаимодействия</translation>
    </message>
    <message>
        <source>longer than 320 characters</source>
        <translation>длиннее 320 символов</translation>
    </message>
    <message>
        <source>needs exactly one @</source>
        <translation>нужен ровно один @</translation>
    </message>
    <message>
        <source>no phone number found</source>
        <translation>номер не найден</translation>
    </message>
    <message>
        <source>no such number in the numbering plan</source>
        <translation>такого номера нет в плане нумерации</translation>
    </message>
    <message>
        <source>not a valid domain</source>
        <translation>неверный домен</translation>
    </message>
    <message>
        <source>nothing before the @</source>
        <translation>ничего перед @</translation>
    </message>
    <message>
        <source>number</source>
        <translation>число</translation>
    </message>
    <message>
        <source>owner rule</source>
        <translation>правило ответственного</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>на паузе</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>запланировано</translation>
    </message>
    <message>
        <source>planned or done</source>
        <translation>запланировано или выполнено</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>запрос</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>отклонено</translation>
    </message>
    <message>
        <source>reply rule</source>
        <translation>правило при ответе</translation>
    </message>
    <message>
        <source>rescheduled</source>
        <translation>перенести</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>восстановить</translation>
    </message>
    <message>
        <source>running</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>seeing other managers&apos; clients</source>
        <translation>видеть клиентов других менеджеров</translation>
    </message>
    <message>
        <source>seeing the department&apos;s clients</source>
        <translation>видеть клиентов отдела</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>отправлен</translation>
    </message>
    <message>
        <source>start</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>остановлен</translation>
    </message>
    <message>
        <source>subject</source>
        <translation>тема</translation>
    </message>
    <message>
        <source>template</source>
        <translation>шаблон</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>the area code is missing</source>
        <translation>нет кода города</translation>
    </message>
    <message>
        <source>the domain needs a dot</source>
        <translation>в домене нужна точка</translation>
    </message>
    <message>
        <source>too long</source>
        <translation>слишком длинный</translation>
    </message>
    <message>
        <source>too short</source>
        <translation>слишком короткий</translation>
    </message>
    <message>
        <source>unknown country code</source>
        <translation>неизвестный код страны</translation>
    </message>
    <message>
        <source>working with deals</source>
        <translation>работать со сделками</translation>
    </message>
    <message>
        <source>wrong number of digits</source>
        <translation>неверное число цифр</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>%1 %2 belongs to another manager</source>
        <translation>%1 %2 принадлежит другому менеджеру</translation>
    </message>
    <message>
        <source>%1 AI drafts are already waiting for the server; let them finish or write this letter by hand</source>
        <translation>Уже %1 черновиков ждут ИИ-сервер; дождитесь их или напишите это письмо сами</translation>
    </message>
    <message>
        <source>%1 comes from a newer or unknown Touchpoint; update the app first</source>
        <translation>%1 создан более новой или неизвестной версией Touchpoint; сначала обновите программу</translation>
    </message>
    <message>
        <source>%1 contains a control character (U+%2)</source>
        <translation>%1 содержит управляющий символ (U+%2)</translation>
    </message>
    <message>
        <source>%1 contains a control character (U+%2): type it as plain text</source>
        <translation>%1 содержит управляющий символ (U+%2): введите его как обычный текст</translation>
    </message>
    <message>
        <source>%1 contains no contacts</source>
        <translation>В %1 нет контактов</translation>
    </message>
    <message>
        <source>%1 did not answer in time</source>
        <translation>%1 не ответил вовремя</translation>
    </message>
    <message>
        <source>%1 does not exist in %2 (clocks skip that hour)</source>
        <translation>Времени %1 в поясе %2 нет (часы перескакивают этот час)</translation>
    </message>
    <message>
        <source>%1 does not offer STARTTLS; not sending in the clear</source>
        <translation>%1 не поддерживает STARTTLS; открытым текстом не отправляем</translation>
    </message>
    <message>
        <source>%1 host %2 is not a host name</source>
        <translation>Сервер %1 «%2» — не имя сервера</translation>
    </message>
    <message>
        <source>%1 is a folder, not a file</source>
        <translation>%1 — это папка, а не файл</translation>
    </message>
    <message>
        <source>%1 is a folder: give the backup a file name</source>
        <translation>%1 — это папка: дайте копии имя файла</translation>
    </message>
    <message>
        <source>%1 is already on this card</source>
        <translation>%1 уже есть в этой карточке</translation>
    </message>
    <message>
        <source>%1 is damaged (SQLite integrity check failed)</source>
        <translation>%1 повреждён (проверка целостности SQLite не прошла)</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 пуст</translation>
    </message>
    <message>
        <source>%1 is empty: %2</source>
        <translation>%1 пуст: %2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MB</source>
        <translation>%1 больше %2 МБ</translation>
    </message>
    <message>
        <source>%1 is longer than %2 characters</source>
        <translation>%1: длиннее %2 символов</translation>
    </message>
    <message>
        <source>%1 is neither UTF-8 nor Windows-1251 text (byte 0x%2 at offset %3)</source>
        <translation>%1 — не текст UTF-8 и не Windows-1251 (байт 0x%2 по смещению %3)</translation>
    </message>
    <message>
        <source>%1 is neither UTF-8 nor Windows-1251 text; save it again as UTF-8</source>
        <translation>%1 — не текст UTF-8 и не Windows-1251; сохраните его заново в UTF-8</translation>
    </message>
    <message>
        <source>%1 is no longer an active colleague</source>
        <translation>%1 больше не работает в команде</translation>
    </message>
    <message>
        <source>%1 is no longer an active colleague and cannot be the owner</source>
        <translation>%1 больше не работает в команде и не может быть ответственным</translation>
    </message>
    <message>
        <source>%1 is not a Touchpoint database (%2)</source>
        <translation>%1 — не база данных Touchpoint (%2)</translation>
    </message>
    <message>
        <source>%1 is not a contact person of %2</source>
        <translation>%1 — не контактное лицо клиента %2</translation>
    </message>
    <message>
        <source>%1 is not a contact person of this client or lead</source>
        <translation>%1 — не контактное лицо этого клиента или лида</translation>
    </message>
    <message>
        <source>%1 is not a moved day in the %2 calendar</source>
        <translation>%1 — не перенесённый день в календаре %2</translation>
    </message>
    <message>
        <source>%1 is not a readable CSV call log: %2</source>
        <translation>%1 — не читаемый журнал звонков CSV: %2</translation>
    </message>
    <message>
        <source>%1 is not a regular file</source>
        <translation>%1 — не обычный файл</translation>
    </message>
    <message>
        <source>%1 is not a server address; e.g. http://localhost:11434/v1 (Ollama)</source>
        <translation>%1 — не адрес сервера; например, http://localhost:11434/v1 (Ollama)</translation>
    </message>
    <message>
        <source>%1 is not a text file; export the contacts as vCard (.vcf) or CSV</source>
        <translation>%1 — не текстовый файл; выгрузите контакты как vCard (.vcf) или CSV</translation>
    </message>
    <message>
        <source>%1 is not valid UTF-16 text</source>
        <translation>%1 — неверный текст UTF-16</translation>
    </message>
    <message>
        <source>%1 is the last active administrator: make another one first</source>
        <translation>%1 — последний активный администратор: сначала назначьте другого</translation>
    </message>
    <message>
        <source>%1 letter(s) still wait in the outbox of %2; send or cancel them first</source>
        <translation>Писем в исходящих ящика %2: %1; отправьте или отмените их сначала</translation>
    </message>
    <message>
        <source>%1 looks like JSON or XML (jCard/xCard?); only vCard (.vcf) and CSV contact files can be imported</source>
        <translation>%1 похож на JSON или XML (jCard/xCard?); импортируются только файлы vCard (.vcf) и CSV</translation>
    </message>
    <message>
        <source>%1 may not do this: the role does not allow %2</source>
        <translation>%1 не может это сделать: роль не позволяет %2</translation>
    </message>
    <message>
        <source>%1 must not be empty</source>
        <translation>%1 не может быть пустым</translation>
    </message>
    <message>
        <source>%1 port %2 is out of range</source>
        <translation>Порт %1 %2 вне допустимого диапазона</translation>
    </message>
    <message>
        <source>%1 refused the connection</source>
        <translation>%1 отказал в соединении</translation>
    </message>
    <message>
        <source>%1 said %2 %3</source>
        <translation>%1 ответил %2 %3</translation>
    </message>
    <message>
        <source>%1 security must be one of %2</source>
        <translation>Защита %1 — одно из: %2</translation>
    </message>
    <message>
        <source>%1 without TLS sends the password readable; allow servers without encryption explicitly if you really mean it</source>
        <translation>%1 без TLS передаёт пароль открыто; разрешите серверы без шифрования явно, если это действительно нужно</translation>
    </message>
    <message>
        <source>%1: %2 (%3%4); %5</source>
        <translation>%1: %2 (%3%4); %5</translation>
    </message>
    <message>
        <source>%1: %2 is not a valid %3</source>
        <translation>%1: %2 — неверное значение (%3)</translation>
    </message>
    <message>
        <source>%1: %2 is not one of %3</source>
        <translation>%1: %2 нет среди вариантов: %3</translation>
    </message>
    <message>
        <source>%1: %2 is not yes or no</source>
        <translation>%1: %2 — не «да» и не «нет»</translation>
    </message>
    <message>
        <source>%1: line %2 is not valid CSV (%3)</source>
        <translation>%1: строка %2 — неверный CSV (%3)</translation>
    </message>
    <message>
        <source>%1: longer than %2 characters</source>
        <translation>%1: длиннее %2 символов</translation>
    </message>
    <message>
        <source>%1; %2</source>
        <translation>%1; %2</translation>
    </message>
    <message>
        <source>%1; the account was not added</source>
        <translation>%1; ящик не добавлен</translation>
    </message>
    <message>
        <source>%1; the next poll resumes where this one stopped</source>
        <translation>%1; следующая проверка продолжит с того места, где остановилась эта</translation>
    </message>
    <message>
        <source>%2 refused the login %1: enter the password again.</source>
        <translation>%2 не принял вход %1: введите пароль ещё раз.</translation>
    </message>
    <message>
        <source>--map %1=%2: %3 has no column %4</source>
        <translation>--map %1=%2: в %3 нет столбца %4</translation>
    </message>
    <message>
        <source>--map must name a column for name, given, family, org or email (%1)</source>
        <translation>--map должен назвать столбец для name, given, family, org или email (%1)</translation>
    </message>
    <message>
        <source>--map: unknown field %1; use one of %2</source>
        <translation>--map: неизвестное поле %1; используйте одно из: %2</translation>
    </message>
    <message>
        <source>A %1 field %2 exists already</source>
        <translation>Поле %2 для карточки «%1» уже есть</translation>
    </message>
    <message>
        <source>A board column shows 1 to %1 deals</source>
        <translation>Столбец доски показывает от 1 до %1 сделок</translation>
    </message>
    <message>
        <source>A call log needs started_at and number (or src and dst) columns</source>
        <translation>В журнале звонков нужны столбцы started_at и number (или src и dst)</translation>
    </message>
    <message>
        <source>A card is a %1; not %2</source>
        <translation>Карточка бывает у: %1; не у %2</translation>
    </message>
    <message>
        <source>A closing stage is won or lost, not %1</source>
        <translation>Завершающий этап — «выиграна» или «проиграна», а не %1</translation>
    </message>
    <message>
        <source>A colleague changed the same records at the same moment; sync again</source>
        <translation>Коллега в тот же момент изменил те же записи: синхронизируйте ещё раз</translation>
    </message>
    <message>
        <source>A contact detail belongs to exactly one client, lead or contact</source>
        <translation>Контакт принадлежит ровно одному клиенту, лиду или контактному лицу</translation>
    </message>
    <message>
        <source>A contact person belongs to exactly one client or lead</source>
        <translation>Контактное лицо принадлежит ровно одному клиенту или лиду</translation>
    </message>
    <message>
        <source>A database name is needed (no spaces, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; or &apos;@&apos;)</source>
        <translation>Нужно имя базы данных (без пробелов, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; и &apos;@&apos;)</translation>
    </message>
    <message>
        <source>A deadline and no deadline exclude each other</source>
        <translation>Нельзя одновременно задать срок и «без срока»</translation>
    </message>
    <message>
        <source>A deal belongs to exactly one client or lead</source>
        <translation>Сделка принадлежит ровно одному клиенту или лиду</translation>
    </message>
    <message>
        <source>A delay is 0 to %1 working days</source>
        <translation>Задержка — от 0 до %1 рабочих дней</translation>
    </message>
    <message>
        <source>A department of 1 to %1 characters is needed</source>
        <translation>Название отдела должно быть длиной от 1 до %1 символов</translation>
    </message>
    <message>
        <source>A deputy&apos;s end lies in the next %1 days</source>
        <translation>Срок замещения — в ближайшие %1 дн.</translation>
    </message>
    <message>
        <source>A feed is of exactly one client, lead, contact or deal</source>
        <translation>Лента относится ровно к одному клиенту, лиду, контактному лицу или сделке</translation>
    </message>
    <message>
        <source>A form label is longer than %1 characters</source>
        <translation>Подпись поля формы длиннее %1 символов</translation>
    </message>
    <message>
        <source>A letter needs a subject</source>
        <translation>Письму нужна тема</translation>
    </message>
    <message>
        <source>A letter needs at least one recipient</source>
        <translation>Письму нужен хотя бы один получатель</translation>
    </message>
    <message>
        <source>A list field has at most %1 choices</source>
        <translation>У поля-списка не больше %1 вариантов</translation>
    </message>
    <message>
        <source>A list field needs at least one choice</source>
        <translation>Полю-списку нужен хотя бы один вариант</translation>
    </message>
    <message>
        <source>A login is needed</source>
        <translation>Нужен логин</translation>
    </message>
    <message>
        <source>A login is needed (no spaces, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; or &apos;@&apos;)</source>
        <translation>Нужен логин (без пробелов, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; и &apos;@&apos;)</translation>
    </message>
    <message>
        <source>A mail source needs an existing mail account</source>
        <translation>Почтовому источнику нужен существующий почтовый ящик</translation>
    </message>
    <message>
        <source>A moved day is between %1 and %2</source>
        <translation>Перенесённый день должен быть между %1 и %2 годами</translation>
    </message>
    <message>
        <source>A name of 1 to %1 characters is needed</source>
        <translation>Нужно имя длиной от 1 до %1 символов</translation>
    </message>
    <message>
        <source>A new note is signed by its writer: this one names a colleague as its author</source>
        <translation>Новую заметку подписывает тот, кто её пишет: в этой автором указан коллега</translation>
    </message>
    <message>
        <source>A note contains a control character (U+%1)</source>
        <translation>В примечании управляющий символ (U+%1)</translation>
    </message>
    <message>
        <source>A note is longer than %1 characters (%2)</source>
        <translation>Примечание длиннее %1 символов (%2)</translation>
    </message>
    <message>
        <source>A note&apos;s author is not changed from a laptop</source>
        <translation>Автора заметки нельзя сменить с ноутбука</translation>
    </message>
    <message>
        <source>A password of 1 to 1000 characters is needed</source>
        <translation>Пароль должен быть длиной от 1 до 1000 символов</translation>
    </message>
    <message>
        <source>A pipeline holds at most %1 stages</source>
        <translation>В воронке может быть не больше %1 этапов</translation>
    </message>
    <message>
        <source>A pipeline named %1 exists already</source>
        <translation>Воронка с названием %1 уже есть</translation>
    </message>
    <message>
        <source>A pipeline needs at least one stage</source>
        <translation>Воронке нужен хотя бы один этап</translation>
    </message>
    <message>
        <source>A planned interaction needs a date and time</source>
        <translation>Запланированному взаимодействию нужны дата и время</translation>
    </message>
    <message>
        <source>A queue holds at most %1 users</source>
        <translation>В очереди может быть не больше %1 пользователей</translation>
    </message>
    <message>
        <source>A replica is an SQLite file on this computer</source>
        <translation>Реплика — это файл SQLite на этом компьютере</translation>
    </message>
    <message>
        <source>A required field is empty</source>
        <translation>Не заполнено обязательное поле</translation>
    </message>
    <message>
        <source>A round-robin queue needs at least one user</source>
        <translation>В очереди по кругу должен быть хотя бы один пользователь</translation>
    </message>
    <message>
        <source>A rule needs keywords (separated by &apos;;&apos;) or to be the default</source>
        <translation>Правилу нужны ключевые слова (через «;») или отметка «правило по умолчанию»</translation>
    </message>
    <message>
        <source>A scenario has at most %1 steps</source>
        <translation>В сценарии не больше %1 шагов</translation>
    </message>
    <message>
        <source>A scenario named %1 already exists</source>
        <translation>Сценарий с названием %1 уже есть</translation>
    </message>
    <message>
        <source>A scenario needs a name</source>
        <translation>У сценария должно быть название</translation>
    </message>
    <message>
        <source>A server is needed (no spaces, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; or &apos;@&apos;)</source>
        <translation>Нужен адрес сервера (без пробелов, &apos;/&apos;, &apos;?&apos;, &apos;#&apos; и &apos;@&apos;)</translation>
    </message>
    <message>
        <source>A source is %1, not %2</source>
        <translation>Источник может быть только %1, а не %2</translation>
    </message>
    <message>
        <source>A source named %1 exists already</source>
        <translation>Источник «%1» уже есть</translation>
    </message>
    <message>
        <source>A task&apos;s deadline needs its time zone</source>
        <translation>У срока задачи должен быть указан часовой пояс</translation>
    </message>
    <message>
        <source>A task&apos;s title contains a control character (U+%1)</source>
        <translation>В названии задачи есть управляющий символ (U+%1)</translation>
    </message>
    <message>
        <source>A task&apos;s title is longer than %1 characters (%2)</source>
        <translation>Название задачи длиннее %1 символов (%2)</translation>
    </message>
    <message>
        <source>A team database is a PostgreSQL server (postgresql://login@host/db)</source>
        <translation>Командная база — это сервер PostgreSQL (postgresql://логин@сервер/база)</translation>
    </message>
    <message>
        <source>A team database is a PostgreSQL server (the embedded SQLite file has one user)</source>
        <translation>Общая база команды — это сервер PostgreSQL (во встроенном файле SQLite только один пользователь)</translation>
    </message>
    <message>
        <source>A template named %1 exists already</source>
        <translation>Шаблон с названием %1 уже есть</translation>
    </message>
    <message>
        <source>A template needs a name</source>
        <translation>Шаблону нужно название</translation>
    </message>
    <message>
        <source>A ticket is %1, not %2</source>
        <translation>Обращение может быть только %1, а не %2</translation>
    </message>
    <message>
        <source>A type named %1 exists already</source>
        <translation>Тип с названием %1 уже есть</translation>
    </message>
    <message>
        <source>A user %1 exists already</source>
        <translation>Пользователь %1 уже есть</translation>
    </message>
    <message>
        <source>A user or database login %1 exists already</source>
        <translation>Пользователь или логин базы данных «%1» уже существует</translation>
    </message>
    <message>
        <source>AI drafting is not set up: choose a server and a model in Settings → AI (e.g. http://localhost:11434/v1 for Ollama)</source>
        <translation>Черновики ИИ не настроены: выберите сервер и модель в Настройки → ИИ (например, http://localhost:11434/v1 для Ollama)</translation>
    </message>
    <message>
        <source>Addresses and numbers go on a client, lead or contact, not a %1</source>
        <translation>Адреса и номера добавляются клиенту, лиду или контактному лицу, не к %1</translation>
    </message>
    <message>
        <source>Amount %1 is not a number</source>
        <translation>Сумма %1 — не число</translation>
    </message>
    <message>
        <source>Amount must be at most %1</source>
        <translation>Сумма — не больше %1</translation>
    </message>
    <message>
        <source>Amount must be zero or more</source>
        <translation>Сумма не может быть меньше нуля</translation>
    </message>
    <message>
        <source>An API key is only sent over https (or to a server on this computer)</source>
        <translation>Ключ API отправляется только по https (или серверу на этом компьютере)</translation>
    </message>
    <message>
        <source>An agenda section holds 1 to %1 items</source>
        <translation>Раздел плана вмещает от 1 до %1 записей</translation>
    </message>
    <message>
        <source>An interaction is with a client or a lead, not both</source>
        <translation>Взаимодействие бывает с клиентом или с лидом, но не с обоими</translation>
    </message>
    <message>
        <source>Ask for 1 to %1 deals</source>
        <translation>Можно запросить от 1 до %1 сделок</translation>
    </message>
    <message>
        <source>Ask for 1 to %1 search results</source>
        <translation>Можно запросить от 1 до %1 результатов поиска</translation>
    </message>
    <message>
        <source>Assign to %1, not %2</source>
        <translation>Назначать можно только так: %1, а не %2</translation>
    </message>
    <message>
        <source>Assigning to a role needs an existing role</source>
        <translation>Для назначения на роль нужна существующая роль</translation>
    </message>
    <message>
        <source>Assigning to a user needs the user</source>
        <translation>Для назначения на пользователя выберите пользователя</translation>
    </message>
    <message>
        <source>At least one interaction type must stay visible</source>
        <translation>Хотя бы один тип взаимодействия должен оставаться видимым</translation>
    </message>
    <message>
        <source>At most 50 aliases per mailbox</source>
        <translation>Не больше 50 дополнительных адресов на ящик</translation>
    </message>
    <message>
        <source>Attachments belong to a client, lead, contact or deal, not %1</source>
        <translation>Вложения бывают у клиента, лида, контактного лица или сделки, не у %1</translation>
    </message>
    <message>
        <source>Bad port in %1</source>
        <translation>Неверный порт в %1</translation>
    </message>
    <message>
        <source>CA file not found: %1</source>
        <translation>Файл центра сертификации не найден: %1</translation>
    </message>
    <message>
        <source>Cannot find the server %1 (offline or a typo?)</source>
        <translation>Сервер %1 не найден (нет сети или опечатка?)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Не удаётся открыть %1: %2</translation>
    </message>
    <message>
        <source>Cannot reach the database server: %1</source>
        <translation>Сервер базы данных недоступен: %1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Не удаётся прочитать %1: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Не удаётся записать %1: %2</translation>
    </message>
    <message>
        <source>Cannot write to %1: %2</source>
        <translation>Не удаётся записать в %1: %2</translation>
    </message>
    <message>
        <source>Choose another file than the database itself</source>
        <translation>Выберите другой файл, не саму базу данных</translation>
    </message>
    <message>
        <source>Choose the client or lead of the interaction</source>
        <translation>Выберите клиента или лида для взаимодействия</translation>
    </message>
    <message>
        <source>Choose the client, contact and deal before applying a template; missing: %1</source>
        <translation>Перед применением шаблона выберите клиента, контактное лицо и сделку; не хватает: %1</translation>
    </message>
    <message>
        <source>Client and interaction counts cannot be negative</source>
        <translation>Число клиентов и взаимодействий не может быть отрицательным</translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation>Не удалось соединиться с %1: %2</translation>
    </message>
    <message>
        <source>Currency %1 must be a three-letter code</source>
        <translation>Валюта %1 должна быть трёхбуквенным кодом</translation>
    </message>
    <message>
        <source>Custom fields exist for clients, leads and contacts only</source>
        <translation>Свои поля бывают только у клиентов, лидов и контактных лиц</translation>
    </message>
    <message>
        <source>Database error: %1</source>
        <translation>Ошибка базы данных: %1</translation>
    </message>
    <message>
        <source>Deal %1 belongs to another client or lead</source>
        <translation>Сделка %1 относится к другому клиенту или лиду</translation>
    </message>
    <message>
        <source>Deal %1 has interactions now: archive it instead</source>
        <translation>По сделке %1 уже есть взаимодействия: отправьте её в архив</translation>
    </message>
    <message>
        <source>Deal %1 must always have a planned interaction: plan the next one first.</source>
        <translation>У сделки %1 всегда должно быть запланированное взаимодействие: сначала запланируйте следующее.</translation>
    </message>
    <message>
        <source>Deals belong to a %1; not to %2</source>
        <translation>Сделки бывают у: %1; не у %2</translation>
    </message>
    <message>
        <source>Demo data is at most %1 clients or interactions</source>
        <translation>Демо-данных — не больше %1 клиентов или взаимодействий</translation>
    </message>
    <message>
        <source>Direction must be one of %1</source>
        <translation>Направление — одно из: %1</translation>
    </message>
    <message>
        <source>Duration must be between 0 and 1440 minutes</source>
        <translation>Длительность — от 0 до 1440 минут</translation>
    </message>
    <message>
        <source>Email address is empty</source>
        <translation>Адрес электронной почты пуст</translation>
    </message>
    <message>
        <source>Enter the server address the key is for</source>
        <translation>Укажите адрес сервера, для которого этот ключ</translation>
    </message>
    <message>
        <source>Field code %1 must be lowercase letters, digits and _ and start with a letter</source>
        <translation>Код поля %1: строчные латинские буквы, цифры и _, начиная с буквы</translation>
    </message>
    <message>
        <source>Filling in the template took longer than %1 s</source>
        <translation>Заполнение шаблона заняло больше %1 с</translation>
    </message>
    <message>
        <source>Folder does not exist: %1</source>
        <translation>Папки нет: %1</translation>
    </message>
    <message>
        <source>Folder for the database does not exist: %1</source>
        <translation>Папки для базы данных нет: %1</translation>
    </message>
    <message>
        <source>History is kept for %1, not %2</source>
        <translation>История ведётся для: %1; не для %2</translation>
    </message>
    <message>
        <source>Indicators are for a %1; not for %2</source>
        <translation>Показатели есть у: %1; не у %2</translation>
    </message>
    <message>
        <source>Interaction %1 already records this %2</source>
        <translation>Взаимодействие %1 уже содержит этот объект (%2)</translation>
    </message>
    <message>
        <source>Interaction %1 is %2; only a %3 one can be %4</source>
        <translation>Взаимодействие %1 в состоянии «%2»; действие «%4» возможно только в состоянии «%3»</translation>
    </message>
    <message>
        <source>Interactions per client cannot be negative</source>
        <translation>Число взаимодействий на клиента не может быть отрицательным</translation>
    </message>
    <message>
        <source>It cannot have happened in the future: pick a time up to now</source>
        <translation>Это не могло произойти в будущем: выберите время не позже текущего</translation>
    </message>
    <message>
        <source>Keep &apos;mine&apos; or &apos;theirs&apos;</source>
        <translation>Оставьте «моё» или «их» значение</translation>
    </message>
    <message>
        <source>Lead %1 is already converted into a client</source>
        <translation>Лид %1 уже преобразован в клиента</translation>
    </message>
    <message>
        <source>Lead %1 was converted into a client: open the client instead</source>
        <translation>Лид %1 преобразован в клиента: откройте клиента</translation>
    </message>
    <message>
        <source>Letter %1 is %2; it can no longer be stopped</source>
        <translation>Письмо %1 в состоянии «%2»; остановить его уже нельзя</translation>
    </message>
    <message>
        <source>Link the request to exactly one client, lead or deal</source>
        <translation>Привяжите заявку ровно к одному клиенту, лиду или сделке</translation>
    </message>
    <message>
        <source>Link to a client, lead or contact, not %1</source>
        <translation>Привязать можно к клиенту, лиду или контактному лицу, не к %1</translation>
    </message>
    <message>
        <source>Login %1 must be letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;@&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>Логин %1 может содержать буквы, цифры, «.», «_», «@» и «-» и начинаться с буквы или цифры</translation>
    </message>
    <message>
        <source>Login %1 must be letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;@&apos; or &apos;-&apos;, starting with a letter or digit, and not a PostgreSQL name (pg_*, tp_*, postgres)</source>
        <translation>Логин «%1» может состоять из букв, цифр, «.», «_», «@» и «-», должен начинаться с буквы или цифры и не быть служебным именем PostgreSQL (pg_*, tp_*, postgres)</translation>
    </message>
    <message>
        <source>Mail account %1 does not exist</source>
        <translation>Почтового ящика %1 нет</translation>
    </message>
    <message>
        <source>Messenger handle is empty</source>
        <translation>Имя в мессенджере пустое</translation>
    </message>
    <message>
        <source>Name the model to use (e.g. llama3.1 for Ollama)</source>
        <translation>Укажите модель (например, llama3.1 для Ollama)</translation>
    </message>
    <message>
        <source>No %1 password is saved for this mailbox on this computer: enter it again.</source>
        <translation>Пароль %1 для этого ящика не сохранён на этом компьютере: введите его ещё раз.</translation>
    </message>
    <message>
        <source>No Telegram bot token is saved for this source; enter it again</source>
        <translation>Для этого источника не сохранён токен бота Telegram; введите его снова</translation>
    </message>
    <message>
        <source>No active colleague %1</source>
        <translation>Нет активного коллеги %1</translation>
    </message>
    <message>
        <source>No active user %1 to be the owner</source>
        <translation>Нет активного пользователя %1, чтобы сделать его ответственным</translation>
    </message>
    <message>
        <source>No colleague has the id %1</source>
        <translation>Нет сотрудника с номером %1</translation>
    </message>
    <message>
        <source>No colleague with login %1</source>
        <translation>Нет коллеги с логином %1</translation>
    </message>
    <message>
        <source>No holiday calendar for %1: use a two-letter country code</source>
        <translation>Нет календаря праздников для «%1»: укажите двухбуквенный код страны</translation>
    </message>
    <message>
        <source>No mailbox to send from: add one in Settings → Mail</source>
        <translation>Нет почтового ящика для отправки: добавьте его в Настройки → Почта</translation>
    </message>
    <message>
        <source>No such file: %1</source>
        <translation>Нет такого файла: %1</translation>
    </message>
    <message>
        <source>No user with login %1</source>
        <translation>Нет пользователя с логином %1</translation>
    </message>
    <message>
        <source>Nobody stands in for themselves</source>
        <translation>Нельзя замещать самого себя</translation>
    </message>
    <message>
        <source>Not a database URL: %1</source>
        <translation>Это не адрес базы данных: %1</translation>
    </message>
    <message>
        <source>Not a feed cursor: %1</source>
        <translation>Это не позиция в ленте: %1</translation>
    </message>
    <message>
        <source>Not a valid email address: %1 (%2)</source>
        <translation>Неверный адрес электронной почты: %1 (%2)</translation>
    </message>
    <message>
        <source>Not a valid messenger handle: %1 (no spaces allowed)</source>
        <translation>Неверное имя в мессенджере: %1 (без пробелов)</translation>
    </message>
    <message>
        <source>Not a valid phone number: %1</source>
        <translation>Неверный номер телефона: %1</translation>
    </message>
    <message>
        <source>Not a valid phone number: %1 (%2)</source>
        <translation>Неверный номер телефона: %1 (%2)</translation>
    </message>
    <message>
        <source>Note %1 is a colleague&apos;s; its author or an administrator may change it</source>
        <translation>Примечание %1 написано коллегой; изменить его может автор или администратор</translation>
    </message>
    <message>
        <source>Notes go on a %1; not on %2</source>
        <translation>Примечания бывают у: %1; не у %2</translation>
    </message>
    <message>
        <source>On PostgreSQL the database login decides who acts: this connection is %1, so --user %2 is refused; connect as that login (postgresql://%3@host/db) instead</source>
        <translation>В PostgreSQL действует тот, под чьим логином подключение: здесь это %1, поэтому --user %2 отклонён; подключитесь под этим логином (postgresql://%3@host/db)</translation>
    </message>
    <message>
        <source>Only %1 can be archived, not %2</source>
        <translation>В архив можно отправить только: %1; не %2</translation>
    </message>
    <message>
        <source>Only a client or a lead can be shared</source>
        <translation>Поделиться можно только клиентом или лидом</translation>
    </message>
    <message>
        <source>Only a client or a lead is handed over, not %1</source>
        <translation>Передать можно только клиента или лид, а не %1</translation>
    </message>
    <message>
        <source>Only imported letters and calls can be unlinked; cancel this one instead</source>
        <translation>Отвязать можно только загруженные письма и звонки; это взаимодействие лучше отменить</translation>
    </message>
    <message>
        <source>Only its author or an administrator may change a template</source>
        <translation>Шаблон может менять только его автор или администратор</translation>
    </message>
    <message>
        <source>Only the embedded database file can be backed up from here; a PostgreSQL server is backed up by its administrator (pg_dump)</source>
        <translation>Отсюда можно сохранить копию только встроенной базы; сервер PostgreSQL копирует его администратор (pg_dump)</translation>
    </message>
    <message>
        <source>Only the owner can cancel this interaction</source>
        <translation>Отменить это взаимодействие может только ответственный</translation>
    </message>
    <message>
        <source>Only your own agenda: the role does not show colleagues&apos; work</source>
        <translation>Только свой план: роль не показывает работу коллег</translation>
    </message>
    <message>
        <source>Page size must be between 1 and %1</source>
        <translation>Размер страницы — от 1 до %1</translation>
    </message>
    <message>
        <source>Phone number is empty</source>
        <translation>Номер телефона пуст</translation>
    </message>
    <message>
        <source>Pipeline %1 has a stage named %2 already</source>
        <translation>В воронке %1 уже есть этап %2</translation>
    </message>
    <message>
        <source>Poll every 1 to 1440 minutes</source>
        <translation>Проверять можно раз в 1–1440 минут</translation>
    </message>
    <message>
        <source>Put the key in the API key field, not in the address</source>
        <translation>Ключ вводится в поле «Ключ API», а не в адрес</translation>
    </message>
    <message>
        <source>Recipients refused: %1</source>
        <translation>Получатели отклонены: %1</translation>
    </message>
    <message>
        <source>Rejecting needs a reason from the list</source>
        <translation>Для отклонения выберите причину из списка</translation>
    </message>
    <message>
        <source>Request %1 has no conversion to undo</source>
        <translation>У заявки %1 нет преобразования, которое можно отменить</translation>
    </message>
    <message>
        <source>Request %1 is already %2; undo it first</source>
        <translation>Обращение %1 уже в состоянии «%2»; сначала отмените это</translation>
    </message>
    <message>
        <source>Request %1 is already taken by someone else</source>
        <translation>Обращение %1 уже взял кто-то другой</translation>
    </message>
    <message>
        <source>Run %1 is %2 already</source>
        <translation>Запуск %1 уже %2</translation>
    </message>
    <message>
        <source>Run %1 is %2, not paused</source>
        <translation>Запуск %1 — %2, а не на паузе</translation>
    </message>
    <message>
        <source>Scenarios are edited on the server; on this offline copy they are read-only</source>
        <translation>Сценарии редактируются на сервере; в офлайн-копии они доступны только для чтения</translation>
    </message>
    <message>
        <source>Search is not available on %1</source>
        <translation>Поиск недоступен на %1</translation>
    </message>
    <message>
        <source>Someone else changed %1 %2 meanwhile (%3); nothing was saved: choose which values to keep and save again</source>
        <translation>Кто-то другой изменил %1 %2 за это время (%3); ничего не сохранено: выберите, какие значения оставить, и сохраните снова</translation>
    </message>
    <message>
        <source>Someone else changed the scenario %1 meanwhile; reload it</source>
        <translation>Сценарий %1 тем временем изменил кто-то другой; загрузите его заново</translation>
    </message>
    <message>
        <source>Someone else changed the template %1 meanwhile; reload it and try again</source>
        <translation>Шаблон %1 тем временем изменил кто-то другой; загрузите его заново и попробуйте ещё раз</translation>
    </message>
    <message>
        <source>Someone else changed this record meanwhile; reload it and try again</source>
        <translation>Эту запись тем временем изменил кто-то другой; загрузите её заново и попробуйте ещё раз</translation>
    </message>
    <message>
        <source>Sort by one of %1, not %2</source>
        <translation>Сортировка — одна из: %1; не %2</translation>
    </message>
    <message>
        <source>Source %1 does not exist</source>
        <translation>Источника %1 нет</translation>
    </message>
    <message>
        <source>Stage %1 still holds %2 deal(s): move them to another stage first</source>
        <translation>На этапе %1 ещё есть сделки (%2): сначала перенесите их на другой этап</translation>
    </message>
    <message>
        <source>Step %1 is %2; it can no longer be moved</source>
        <translation>Шаг %1 — %2; перенести его уже нельзя</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>Шаг %1: %2</translation>
    </message>
    <message>
        <source>Step %1: a letter sent by itself needs a subject</source>
        <translation>Шаг %1: у автоматически отправляемого письма должна быть тема</translation>
    </message>
    <message>
        <source>Step %1: a letter sent by itself needs a template or a prompt</source>
        <translation>Шаг %1: для автоматически отправляемого письма нужен шаблон или промпт</translation>
    </message>
    <message>
        <source>Step %1: an AI step needs a prompt or an AI template</source>
        <translation>Шаг %1: для шага с ИИ нужен промпт или ИИ-шаблон</translation>
    </message>
    <message>
        <source>Step %1: only a letter can be sent automatically</source>
        <translation>Шаг %1: автоматически отправить можно только письмо</translation>
    </message>
    <message>
        <source>Step %1: the delay is 0 to %2 working days</source>
        <translation>Шаг %1: задержка — от 0 до %2 рабочих дней</translation>
    </message>
    <message>
        <source>Step %1: the template %2 is deactivated</source>
        <translation>Шаг %1: шаблон %2 отключён</translation>
    </message>
    <message>
        <source>Step %1: the time of day is 00:00 to 23:59</source>
        <translation>Шаг %1: время дня — от 00:00 до 23:59</translation>
    </message>
    <message>
        <source>Subject is longer than %1 characters</source>
        <translation>Тема длиннее %1 символов</translation>
    </message>
    <message>
        <source>Sync interval must be between 1 and 1440 minutes</source>
        <translation>Интервал проверки почты — от 1 до 1440 минут</translation>
    </message>
    <message>
        <source>Task %1 is done already</source>
        <translation>Задача %1 уже выполнена</translation>
    </message>
    <message>
        <source>Task %1 is not done</source>
        <translation>Задача %1 не выполнена</translation>
    </message>
    <message>
        <source>Telegram could not be reached</source>
        <translation>Telegram недоступен</translation>
    </message>
    <message>
        <source>Telegram did not name the bot for this token</source>
        <translation>Telegram не сообщил имя бота для этого токена</translation>
    </message>
    <message>
        <source>Telegram refused the request</source>
        <translation>Telegram отклонил запрос</translation>
    </message>
    <message>
        <source>Telegram refused: check the bot token</source>
        <translation>Telegram отказал: проверьте токен бота</translation>
    </message>
    <message>
        <source>Telegram sent an answer Touchpoint does not understand</source>
        <translation>Telegram прислал ответ, который Touchpoint не понимает</translation>
    </message>
    <message>
        <source>Telegram took too long to answer</source>
        <translation>Telegram слишком долго не отвечал</translation>
    </message>
    <message>
        <source>Telegram&apos;s answer is too large; nothing was read</source>
        <translation>Ответ Telegram слишком большой; ничего не прочитано</translation>
    </message>
    <message>
        <source>The %1 %2 is out of range: use a year from %3 to %4</source>
        <translation>%1 %2 вне допустимого диапазона: укажите год от %3 до %4</translation>
    </message>
    <message>
        <source>The %1 has a template error on line %2: %3</source>
        <translation>%1: ошибка шаблона в строке %2: %3</translation>
    </message>
    <message>
        <source>The %1 is empty</source>
        <translation>Поле «%1» пустое</translation>
    </message>
    <message>
        <source>The %1 is longer than %2 characters</source>
        <translation>Поле «%1» длиннее %2 символов</translation>
    </message>
    <message>
        <source>The %1 must be one of: %2</source>
        <translation>%1: допустимо одно из: %2</translation>
    </message>
    <message>
        <source>The %1 nests too deeply: more than %2 levels of parentheses, brackets, {% if %} blocks or chained filters and operators; simplify it</source>
        <translation>%1: слишком глубокая вложенность — больше %2 уровней скобок, блоков {% if %} или цепочек фильтров и операторов; упростите</translation>
    </message>
    <message>
        <source>The %1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The AI server at %1 answered with no text; regenerate or write by hand</source>
        <translation>ИИ-сервер %1 ответил без текста; создайте письмо заново или напишите его сами</translation>
    </message>
    <message>
        <source>The AI server at %1 answered with something other than a chat completion; check the server address in the AI settings</source>
        <translation>ИИ-сервер %1 ответил не завершением чата; проверьте адрес сервера в настройках ИИ</translation>
    </message>
    <message>
        <source>The AI server at %1 cannot be reached; queue the generation or write by hand</source>
        <translation>ИИ-сервер %1 недоступен; поставьте создание в очередь или напишите сами</translation>
    </message>
    <message>
        <source>The AI server at %1 could not be used: %2</source>
        <translation>ИИ-сервер %1 нельзя использовать: %2</translation>
    </message>
    <message>
        <source>The AI server at %1 did not answer within %2 s; try again, raise the timeout in Settings → AI, or write the letter by hand</source>
        <translation>ИИ-сервер %1 не ответил за %2 с; попробуйте ещё раз, увеличьте время ожидания в Настройки → ИИ или напишите письмо сами</translation>
    </message>
    <message>
        <source>The AI server at %1 does not know the model %2 (HTTP 404)%3; check the model name and that the address ends in /v1 in Settings → AI</source>
        <translation>ИИ-сервер %1 не знает модель %2 (HTTP 404)%3; проверьте название модели и что адрес заканчивается на /v1 в Настройки → ИИ</translation>
    </message>
    <message>
        <source>The AI server at %1 failed (HTTP %2); try again later or write by hand</source>
        <translation>ИИ-сервер %1 дал сбой (HTTP %2); попробуйте позже или напишите сами</translation>
    </message>
    <message>
        <source>The AI server at %1 is limiting requests (HTTP 429)%2; wait a minute and regenerate, or write by hand</source>
        <translation>ИИ-сервер %1 ограничивает запросы (HTTP 429)%2; подождите минуту и создайте заново или напишите сами</translation>
    </message>
    <message>
        <source>The AI server at %1 refused the API key (HTTP %2); check the key in Settings → AI</source>
        <translation>ИИ-сервер %1 не принял ключ API (HTTP %2); проверьте ключ в Настройки → ИИ</translation>
    </message>
    <message>
        <source>The AI server at %1 refused the request (HTTP %2)%3</source>
        <translation>ИИ-сервер %1 отклонил запрос (HTTP %2)%3</translation>
    </message>
    <message>
        <source>The AI server at %1 reported an error: %2</source>
        <translation>ИИ-сервер %1 сообщил об ошибке: %2</translation>
    </message>
    <message>
        <source>The API key contains spaces or line breaks</source>
        <translation>В ключе API есть пробелы или переносы строк</translation>
    </message>
    <message>
        <source>The API key has characters other than Latin letters, digits and signs</source>
        <translation>В ключе API есть символы кроме латинских букв, цифр и знаков</translation>
    </message>
    <message>
        <source>The API key is longer than %1 characters</source>
        <translation>Ключ API длиннее %1 символов</translation>
    </message>
    <message>
        <source>The Bot API address must be https:// (or a loopback test server)</source>
        <translation>Адрес Bot API должен начинаться с https:// (или быть локальным тестовым сервером)</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be read: %2</source>
        <translation>Файл центра сертификации %1 не читается: %2</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be used: %2</source>
        <translation>Файл центра сертификации %1 нельзя использовать: %2</translation>
    </message>
    <message>
        <source>The CA file %1 holds no usable PEM certificate (%2)</source>
        <translation>В файле центра сертификации %1 нет пригодного сертификата PEM (%2)</translation>
    </message>
    <message>
        <source>The SMTP server rejected the login of %1</source>
        <translation>Сервер SMTP не принял вход %1</translation>
    </message>
    <message>
        <source>The Telegram bot token is empty</source>
        <translation>Токен бота Telegram пуст</translation>
    </message>
    <message>
        <source>The action is %1, not %2</source>
        <translation>Действие может быть только %1, а не %2</translation>
    </message>
    <message>
        <source>The attachment does not name its file by a SHA-256 hash</source>
        <translation>Вложение не называет свой файл хешем SHA-256</translation>
    </message>
    <message>
        <source>The backup failed: %1</source>
        <translation>Резервная копия не создана: %1</translation>
    </message>
    <message>
        <source>The body is longer than %1 characters</source>
        <translation>Текст длиннее %1 символов</translation>
    </message>
    <message>
        <source>The certificate of %1 is not trusted (%2). If your company uses its own certificate authority, choose its CA file in the mailbox settings.</source>
        <translation>Сертификату сервера %1 нет доверия (%2). Если в вашей компании свой удостоверяющий центр, выберите его файл CA в настройках почтового ящика.</translation>
    </message>
    <message>
        <source>The change names a record that is no longer on the server</source>
        <translation>Изменение ссылается на запись, которой больше нет на сервере</translation>
    </message>
    <message>
        <source>The contact person has no email address</source>
        <translation>У контактного лица нет адреса электронной почты</translation>
    </message>
    <message>
        <source>The copy was stopped; the next try goes on from where it stopped</source>
        <translation>Копирование остановлено; следующая попытка продолжит с того же места</translation>
    </message>
    <message>
        <source>The database already has clients; demo data goes into an empty database only (create a new one, or allow adding to this one explicitly)</source>
        <translation>В базе уже есть клиенты; демо-данные загружаются только в пустую базу (создайте новую или явно разрешите добавить в эту)</translation>
    </message>
    <message>
        <source>The database file is read-only: %1</source>
        <translation>Файл базы данных доступен только для чтения: %1</translation>
    </message>
    <message>
        <source>The database has no users yet</source>
        <translation>В базе данных ещё нет пользователей</translation>
    </message>
    <message>
        <source>The database is busy with another program. Nothing was saved; try again.</source>
        <translation>База данных занята другой программой. Ничего не сохранено, попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>The database login %1 has no Touchpoint user here: an administrator adds colleagues with &apos;touchpoint admin add-user&apos;</source>
        <translation>У логина базы данных %1 здесь нет пользователя Touchpoint: администратор добавляет коллег командой &apos;touchpoint admin add-user&apos;</translation>
    </message>
    <message>
        <source>The deal %1 is not a deal of %2</source>
        <translation>Сделка %1 — не сделка клиента %2</translation>
    </message>
    <message>
        <source>The description is longer than %1 characters</source>
        <translation>Описание длиннее %1 символов</translation>
    </message>
    <message>
        <source>The disk refused the write: %1</source>
        <translation>Диск не дал записать: %1</translation>
    </message>
    <message>
        <source>The display name is longer than 200 characters</source>
        <translation>Отображаемое имя длиннее 200 символов</translation>
    </message>
    <message>
        <source>The field %1 is longer than %2 characters</source>
        <translation>Поле %1 длиннее %2 символов</translation>
    </message>
    <message>
        <source>The field %1 may not be empty</source>
        <translation>Поле %1 не может быть пустым</translation>
    </message>
    <message>
        <source>The file %1 is no longer in the data folder; it may have been removed or the folder restored from an older backup</source>
        <translation>Файла %1 больше нет в папке данных: возможно, его удалили или папку восстановили из более старой резервной копии</translation>
    </message>
    <message>
        <source>The file %1 is not on the server or not yours to see; the computer that attached it may not have sent it yet</source>
        <translation>Файла %1 нет на сервере или он вам недоступен; возможно, компьютер, на котором его приложили, ещё не отправил его</translation>
    </message>
    <message>
        <source>The file %1 is not on this computer and the server cannot be reached (%2); try again when it is online</source>
        <translation>Файла %1 нет на этом компьютере, а сервер недоступен (%2); попробуйте снова, когда связь появится</translation>
    </message>
    <message>
        <source>The file is larger than %1 MB</source>
        <translation>Файл больше %1 МБ</translation>
    </message>
    <message>
        <source>The file is not a database: %1</source>
        <translation>Файл не является базой данных: %1</translation>
    </message>
    <message>
        <source>The filled-in template would be longer than %1 characters</source>
        <translation>Заполненный шаблон был бы длиннее %1 символов</translation>
    </message>
    <message>
        <source>The folder must not be empty</source>
        <translation>Папка не может быть пустой</translation>
    </message>
    <message>
        <source>The instructions are longer than %1 characters</source>
        <translation>Инструкции длиннее %1 символов</translation>
    </message>
    <message>
        <source>The keyring %1 did not give back a test secret it accepted; %2 was not saved</source>
        <translation>Хранилище паролей %1 не вернуло принятый проверочный секрет; %2 не сохранён</translation>
    </message>
    <message>
        <source>The keyring %1 kept a test secret after deleting it; %2 was not saved</source>
        <translation>Хранилище паролей %1 сохранило проверочный секрет после удаления; %2 не сохранён</translation>
    </message>
    <message>
        <source>The keyring could not %1: %2</source>
        <translation>Хранилище паролей не смогло %1: %2</translation>
    </message>
    <message>
        <source>The keyring could not delete %1: %2</source>
        <translation>Хранилище паролей не смогло удалить %1: %2</translation>
    </message>
    <message>
        <source>The label %1 is mapped to both %2 and %3</source>
        <translation>Подпись «%1» сопоставлена сразу двум полям: %2 и %3</translation>
    </message>
    <message>
        <source>The label must not be empty</source>
        <translation>Подпись не может быть пустой</translation>
    </message>
    <message>
        <source>The letter has no subject</source>
        <translation>У письма нет темы</translation>
    </message>
    <message>
        <source>The letter or call was put on another card on the server after this change</source>
        <translation>Письмо или звонок перенесли на другую карточку на сервере уже после этого изменения</translation>
    </message>
    <message>
        <source>The linking job runs every 1 to 10080 minutes</source>
        <translation>Привязка писем и звонков запускается раз в 1–10080 минут</translation>
    </message>
    <message>
        <source>The login %1 contains control characters: it cannot be a user</source>
        <translation>В логине %1 есть управляющие символы: такого пользователя быть не может</translation>
    </message>
    <message>
        <source>The login %1 may not create the group roles %2: run this as the database owner with CREATEROLE (or as a superuser)</source>
        <translation>Логину «%1» нельзя создавать групповые роли %2: выполните это от имени владельца базы с правом CREATEROLE (или суперпользователя)</translation>
    </message>
    <message>
        <source>The mail account of the source %1 is gone</source>
        <translation>Почтовый ящик источника «%1» удалён</translation>
    </message>
    <message>
        <source>The model name is too long or has control characters</source>
        <translation>Название модели слишком длинное или содержит управляющие символы</translation>
    </message>
    <message>
        <source>The name is longer than %1 characters</source>
        <translation>Название длиннее %1 символов</translation>
    </message>
    <message>
        <source>The note is longer than %1 characters</source>
        <translation>Примечание длиннее %1 символов</translation>
    </message>
    <message>
        <source>The owner sees the card already</source>
        <translation>Владелец и так видит эту карточку</translation>
    </message>
    <message>
        <source>The password is longer than %1 characters</source>
        <translation>Пароль длиннее %1 символов</translation>
    </message>
    <message>
        <source>The password must not be empty</source>
        <translation>Пароль не может быть пустым</translation>
    </message>
    <message>
        <source>The pipeline %1 has no stages</source>
        <translation>В воронке %1 нет этапов</translation>
    </message>
    <message>
        <source>The pipeline %1 is missing; the demo puts deals in it</source>
        <translation>Нет воронки %1; демо-данные кладут в неё сделки</translation>
    </message>
    <message>
        <source>The port is a number from 1 to 65535</source>
        <translation>Порт — число от 1 до 65535</translation>
    </message>
    <message>
        <source>The record is no longer visible to you on the server</source>
        <translation>Эта запись вам больше не видна на сервере</translation>
    </message>
    <message>
        <source>The record is not on the server or not yours to change</source>
        <translation>Записи нет на сервере, или вам нельзя её менять</translation>
    </message>
    <message>
        <source>The record names another that is not on the server or not yours to see</source>
        <translation>Запись ссылается на другую, которой нет на сервере или которую вам не видно</translation>
    </message>
    <message>
        <source>The record was removed on the server</source>
        <translation>Запись удалена на сервере</translation>
    </message>
    <message>
        <source>The restore failed, nothing was replaced: %1</source>
        <translation>Восстановить не удалось, ничего не заменено: %1</translation>
    </message>
    <message>
        <source>The role %1 is missing; the demo assigns it to managers</source>
        <translation>Нет роли %1; демо-данные назначают её менеджерам</translation>
    </message>
    <message>
        <source>The scenario %1 has no steps</source>
        <translation>В сценарии %1 нет шагов</translation>
    </message>
    <message>
        <source>The scenario %1 is not active</source>
        <translation>Сценарий %1 не активен</translation>
    </message>
    <message>
        <source>The scenario %1 is someone else&apos;s; an administrator may change it</source>
        <translation>Сценарий %1 чужой; изменить его может администратор</translation>
    </message>
    <message>
        <source>The search text is too long (%1 characters; at most %2)</source>
        <translation>Текст поиска слишком длинный (%1 символов; не больше %2)</translation>
    </message>
    <message>
        <source>The server %1 does not answer; working offline</source>
        <translation>Сервер %1 не отвечает; работаем без сети</translation>
    </message>
    <message>
        <source>The server address takes no ?query or #fragment</source>
        <translation>В адресе сервера не бывает ?запроса или #фрагмента</translation>
    </message>
    <message>
        <source>The server already has a record with the same value</source>
        <translation>На сервере уже есть запись с таким же значением</translation>
    </message>
    <message>
        <source>The server has no field %1</source>
        <translation>На сервере нет поля %1</translation>
    </message>
    <message>
        <source>The server has this letter or call on a colleague&apos;s card you cannot see</source>
        <translation>На сервере это письмо или звонок есть в карточке коллеги, которую вы не видите</translation>
    </message>
    <message>
        <source>The server is a team PostgreSQL database (postgresql://host/database)</source>
        <translation>Сервер — это общая база PostgreSQL команды (postgresql://сервер/база)</translation>
    </message>
    <message>
        <source>The server refused the change: %1</source>
        <translation>Сервер не принял изменение: %1</translation>
    </message>
    <message>
        <source>The server refused the login or password: %1</source>
        <translation>Сервер не принял логин или пароль: %1</translation>
    </message>
    <message>
        <source>The server&apos;s address names no host</source>
        <translation>В адресе сервера не указан хост</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified: %1; give the company&apos;s CA file</source>
        <translation>Не удалось проверить сертификат сервера: %1; укажите файл центра сертификации компании</translation>
    </message>
    <message>
        <source>The server&apos;s copy of %1 does not match its checksum; it was not opened</source>
        <translation>Копия %1 на сервере не совпадает со своей контрольной суммой; файл не открыт</translation>
    </message>
    <message>
        <source>The server&apos;s database does not accept this value</source>
        <translation>База данных сервера не принимает это значение</translation>
    </message>
    <message>
        <source>The server&apos;s database is at revision %1, newer than Touchpoint on this laptop (%2): update Touchpoint on this laptop, then sync. Nothing was sent or received.</source>
        <translation>База данных сервера уже в версии %1, новее, чем Touchpoint на этом ноутбуке (%2): обновите Touchpoint на этом ноутбуке и синхронизируйте снова. Ничего не отправлено и не получено.</translation>
    </message>
    <message>
        <source>The server&apos;s database is at revision %1, older than Touchpoint on this laptop (%2): the administrator updates the server first. Nothing was sent or received.</source>
        <translation>База данных сервера в версии %1, старее, чем Touchpoint на этом ноутбуке (%2): сначала администратор обновляет сервер. Ничего не отправлено и не получено.</translation>
    </message>
    <message>
        <source>The server&apos;s database refused the change</source>
        <translation>База данных сервера отклонила изменение</translation>
    </message>
    <message>
        <source>The server&apos;s schema is at revision %1, this program&apos;s at %2: update the one that is behind first</source>
        <translation>Схема сервера — ревизия %1, программы — %2: сначала обновите отстающую сторону</translation>
    </message>
    <message>
        <source>The softphone command needs {number} where the number goes</source>
        <translation>В команде софтфона нужно {number} на месте номера</translation>
    </message>
    <message>
        <source>The source %1 is not a mailbox</source>
        <translation>Источник «%1» — не почтовый ящик</translation>
    </message>
    <message>
        <source>The stage is not in the rule&apos;s pipeline</source>
        <translation>Этого этапа нет в воронке правила</translation>
    </message>
    <message>
        <source>The stored file of %1 is outside the attachments folder</source>
        <translation>Сохранённый файл %1 находится вне папки вложений</translation>
    </message>
    <message>
        <source>The stored file of %1 was changed outside Touchpoint</source>
        <translation>Сохранённый файл %1 был изменён вне Touchpoint</translation>
    </message>
    <message>
        <source>The subject is longer than %1 characters</source>
        <translation>Тема длиннее %1 символов</translation>
    </message>
    <message>
        <source>The team database refused this change for your login: %1</source>
        <translation>Командная база не приняла это изменение от вашего логина: %1</translation>
    </message>
    <message>
        <source>The team database refused this change: your login is not allowed to make it</source>
        <translation>Командная база не приняла это изменение: вашему логину оно не разрешено</translation>
    </message>
    <message>
        <source>The template %1 is deactivated</source>
        <translation>Шаблон %1 отключён</translation>
    </message>
    <message>
        <source>The template %1 is someone else&apos;s; an administrator may change it</source>
        <translation>Шаблон %1 принадлежит другому пользователю; изменить его может администратор</translation>
    </message>
    <message>
        <source>The template %1 needs fixing: %2</source>
        <translation>Шаблон %1 нужно исправить: %2</translation>
    </message>
    <message>
        <source>The template could not be filled in: %1</source>
        <translation>Шаблон не удалось заполнить: %1</translation>
    </message>
    <message>
        <source>The timeout is %1 to %2 seconds</source>
        <translation>Время ожидания — от %1 до %2 секунд</translation>
    </message>
    <message>
        <source>The user who started the run (id %1) is no longer active</source>
        <translation>Пользователь, запустивший сценарий (id %1), отключён</translation>
    </message>
    <message>
        <source>There are %1 types already: hide or rename one</source>
        <translation>Типов уже %1: скройте или переименуйте один из них</translation>
    </message>
    <message>
        <source>There is no active user with id %1</source>
        <translation>Активного пользователя с номером %1 нет</translation>
    </message>
    <message>
        <source>There is no replica at %1</source>
        <translation>Реплики по пути %1 нет</translation>
    </message>
    <message>
        <source>There is no step %1; the scenario has %2</source>
        <translation>Шага %1 нет; шагов в сценарии: %2</translation>
    </message>
    <message>
        <source>There is no user with id %1</source>
        <translation>Пользователя с номером %1 нет</translation>
    </message>
    <message>
        <source>There is nothing to generate from: write the prompt first</source>
        <translation>Создавать не из чего: сначала напишите запрос</translation>
    </message>
    <message>
        <source>These records are not changed from a laptop</source>
        <translation>Эти записи не меняются с ноутбука</translation>
    </message>
    <message>
        <source>This %1 already has a memo (id %2); edit it instead of adding another</source>
        <translation>У этой карточки (%1) уже есть заметка (id %2); измените её, а не добавляйте новую</translation>
    </message>
    <message>
        <source>This AI draft is gone</source>
        <translation>Этого черновика ИИ больше нет</translation>
    </message>
    <message>
        <source>This AI draft is not ready yet</source>
        <translation>Этот черновик ИИ ещё не готов</translation>
    </message>
    <message>
        <source>This card belongs to another manager: only its owner shares it</source>
        <translation>Эта карточка принадлежит другому менеджеру: поделиться ею может только её владелец</translation>
    </message>
    <message>
        <source>This database is not a laptop replica: there is nothing to push</source>
        <translation>Эта база не копия на ноутбуке: отправлять нечего</translation>
    </message>
    <message>
        <source>This database is not a replica</source>
        <translation>Эта база не является репликой</translation>
    </message>
    <message>
        <source>This deputy period is between other colleagues: only the absent colleague, the deputy or an administrator ends it</source>
        <translation>Это замещение между другими коллегами: досрочно его завершают только отсутствующий коллега, заместитель или администратор</translation>
    </message>
    <message>
        <source>This file is already a replica of another server</source>
        <translation>Этот файл уже является репликой другого сервера</translation>
    </message>
    <message>
        <source>This is not a Telegram bot token: it looks like 123456789:AAE…, as @BotFather gives it</source>
        <translation>Это не токен бота Telegram: он выглядит как 123456789:AAE… — так, как его выдаёт @BotFather</translation>
    </message>
    <message>
        <source>This page key belongs to another sort order: start from the top</source>
        <translation>Эта позиция списка от другого порядка сортировки: начните сверху</translation>
    </message>
    <message>
        <source>This page key has no name to continue after</source>
        <translation>У этой позиции списка нет имени, после которого продолжить</translation>
    </message>
    <message>
        <source>This record is not on this laptop: it was removed on the team server or was never here. Its history is on the team server.</source>
        <translation>Этой записи нет на ноутбуке: её удалили на сервере команды или её здесь не было. Её история хранится на сервере команды.</translation>
    </message>
    <message>
        <source>This record no longer exists (someone may have deleted it).</source>
        <translation>Этой записи больше нет (возможно, её кто-то удалил).</translation>
    </message>
    <message>
        <source>This template is not an AI template; nothing goes to the AI</source>
        <translation>Это не ИИ-шаблон; ИИ ничего не получит</translation>
    </message>
    <message>
        <source>Time of day %1 does not exist</source>
        <translation>Времени дня %1 не бывает</translation>
    </message>
    <message>
        <source>Time of day %1: write it as HH:MM</source>
        <translation>Время дня %1: укажите его как ЧЧ:ММ</translation>
    </message>
    <message>
        <source>Touchpoint</source>
        <translation>Touchpoint</translation>
    </message>
    <message>
        <source>Two stages of the pipeline have the same name</source>
        <translation>У двух этапов воронки одинаковое название</translation>
    </message>
    <message>
        <source>Unknown %1 field %2 (known: %3)</source>
        <translation>Неизвестное поле %2 карточки «%1» (известны: %3)</translation>
    </message>
    <message>
        <source>Unknown call fields %1</source>
        <translation>Неизвестные поля звонка %1</translation>
    </message>
    <message>
        <source>Unknown contact kind %1; use one of %2</source>
        <translation>Неизвестный вид контакта %1; используйте: %2</translation>
    </message>
    <message>
        <source>Unknown contact kind: %1 (expected email, phone or messenger)</source>
        <translation>Неизвестный вид контакта: %1 (нужен email, телефон или мессенджер)</translation>
    </message>
    <message>
        <source>Unknown feed type %1; use one of %2</source>
        <translation>Неизвестный тип записи ленты %1; используйте: %2</translation>
    </message>
    <message>
        <source>Unknown field type %1; use one of %2</source>
        <translation>Неизвестный тип поля %1; используйте один из: %2</translation>
    </message>
    <message>
        <source>Unknown form field %1; use %2</source>
        <translation>Неизвестное поле формы «%1»; допустимые поля: %2</translation>
    </message>
    <message>
        <source>Unknown form fields: %1 (expected name, phone, email, message, subject)</source>
        <translation>Неизвестные поля формы: %1 (ожидаются name, phone, email, message, subject)</translation>
    </message>
    <message>
        <source>Unknown interaction type %1; known: %2</source>
        <translation>Неизвестный тип взаимодействия %1; известны: %2</translation>
    </message>
    <message>
        <source>Unknown preset %1; use one of %2</source>
        <translation>Неизвестный формат %1; используйте один из: %2</translation>
    </message>
    <message>
        <source>Unknown region %1: use a two-letter country code</source>
        <translation>Неизвестный регион %1: укажите двухбуквенный код страны</translation>
    </message>
    <message>
        <source>Unknown role %1 (roles: %2)</source>
        <translation>Неизвестная роль %1 (роли: %2)</translation>
    </message>
    <message>
        <source>Unknown role %1: use %2</source>
        <translation>Неизвестная роль «%1»: допустимы %2</translation>
    </message>
    <message>
        <source>Unknown setting %1; known: %2</source>
        <translation>Неизвестная настройка %1; известны: %2</translation>
    </message>
    <message>
        <source>Unknown time zone %1</source>
        <translation>Неизвестный часовой пояс %1</translation>
    </message>
    <message>
        <source>Unsupported database %1: use SQLite or PostgreSQL</source>
        <translation>База данных %1 не поддерживается: используйте SQLite или PostgreSQL</translation>
    </message>
    <message>
        <source>User %1 is deactivated</source>
        <translation>Пользователь %1 отключён</translation>
    </message>
    <message>
        <source>Write the prompt first: it tells the AI what letter to write</source>
        <translation>Сначала напишите запрос: он говорит ИИ, какое письмо написать</translation>
    </message>
    <message>
        <source>direction %1 is not in or out</source>
        <translation>направление %1 — не in и не out</translation>
    </message>
    <message>
        <source>time %1 is not YYYY-MM-DD HH:MM:SS</source>
        <translation>время %1 не в формате ГГГГ-ММ-ДД ЧЧ:ММ:СС</translation>
    </message>
    <message>
        <source>waiting for the AI server, out of reach in this round</source>
        <translation>ждёт сервер ИИ: в этом проходе он недоступен</translation>
    </message>
</context>
<context>
    <name>FeedDelegate</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Cancelled · %1</source>
        <translation>Отменено · %1</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Overdue · %1</source>
        <translation>Просрочено · %1</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Запланировано</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
</context>
<context>
    <name>FeedFilterBar</name>
    <message>
        <source>%1 (me)</source>
        <translation>%1 (я)</translation>
    </message>
    <message numerus="yes">
        <source>%n type(s)</source>
        <translation>
            <numerusform>%n тип</numerusform>
            <numerusform>%n типа</numerusform>
            <numerusform>%n типов</numerusform>
        </translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Все типы</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Любая дата</translation>
    </message>
    <message>
        <source>Any owner</source>
        <translation>Любой ответственный</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Сбросить фильтры</translation>
    </message>
    <message>
        <source>Everything with this client, not only what belongs to this deal</source>
        <translation>Всё по этому клиенту, а не только по этой сделке</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Сначала старые</translation>
    </message>
    <message>
        <source>Search this feed</source>
        <translation>Поиск по ленте</translation>
    </message>
    <message>
        <source>Show history from this day</source>
        <translation>Показывать историю с этого дня</translation>
    </message>
    <message>
        <source>Show history up to this day</source>
        <translation>Показывать историю по этот день</translation>
    </message>
    <message>
        <source>Show only planned interactions and open tasks</source>
        <translation>Показывать только запланированные взаимодействия и открытые задачи</translation>
    </message>
    <message>
        <source>Show only some kinds of items</source>
        <translation>Показывать только некоторые виды записей</translation>
    </message>
    <message>
        <source>Show the history in chronological order, the earliest first</source>
        <translation>Показать историю в хронологическом порядке, начиная с самых ранних</translation>
    </message>
    <message>
        <source>Upcoming only</source>
        <translation>Только предстоящие</translation>
    </message>
    <message>
        <source>Whole client history</source>
        <translation>Вся история клиента</translation>
    </message>
</context>
<context>
    <name>FeedItemActions</name>
    <message>
        <source>%1 cancelled</source>
        <translation>%1: отменено</translation>
    </message>
    <message>
        <source>Edit note…</source>
        <translation>Изменить примечание…</translation>
    </message>
    <message>
        <source>Edit task…</source>
        <translation>Изменить задачу…</translation>
    </message>
    <message>
        <source>Entered by hand on this card, not imported.</source>
        <translation>Внесено вручную в этой карточке, а не импортировано.</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>История…</translation>
    </message>
    <message>
        <source>Imported by mail sync: the address was on the card.</source>
        <translation>Импортировано синхронизацией почты: адрес был в карточке.</translation>
    </message>
    <message>
        <source>Mark as cancelled</source>
        <translation>Пометить как отменённое</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Отметить выполненной</translation>
    </message>
    <message>
        <source>No program to play %1 was found</source>
        <translation>Не найдена программа, чтобы воспроизвести %1</translation>
    </message>
    <message>
        <source>No recording was imported with this call</source>
        <translation>Для этого звонка запись не импортирована</translation>
    </message>
    <message>
        <source>Only imported letters and calls can be unlinked</source>
        <translation>Отвязать можно только импортированные письма и звонки</translation>
    </message>
    <message>
        <source>Only interactions can be cancelled</source>
        <translation>Отменить можно только взаимодействие</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Plan it again for:</source>
        <translation>Запланировать снова на:</translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation>Прослушать запись</translation>
    </message>
    <message>
        <source>Remove note…</source>
        <translation>Удалить примечание…</translation>
    </message>
    <message>
        <source>Remove task…</source>
        <translation>Удалить задачу…</translation>
    </message>
    <message>
        <source>Reopen task</source>
        <translation>Вернуть в работу</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Восстановить</translation>
    </message>
    <message>
        <source>Restore as planned</source>
        <translation>Вернуть в запланированные</translation>
    </message>
    <message>
        <source>Take this call off the card? The linking job will not put it here again.</source>
        <translation>Убрать этот звонок из карточки? Задание привязки больше не поместит его сюда.</translation>
    </message>
    <message>
        <source>Take this letter off the card? It goes back to the unlinked letters, and the linking job will not put it here again.</source>
        <translation>Убрать это письмо из карточки? Оно вернётся в непривязанные письма, и задание привязки больше не поместит его сюда.</translation>
    </message>
    <message>
        <source>The call is no longer on this card</source>
        <translation>Звонок больше не в этой карточке</translation>
    </message>
    <message>
        <source>The letter is no longer on this card</source>
        <translation>Письмо больше не в этой карточке</translation>
    </message>
    <message>
        <source>The recording %1 is not on this computer</source>
        <translation>Записи %1 нет на этом компьютере</translation>
    </message>
    <message>
        <source>This interaction is cancelled already</source>
        <translation>Это взаимодействие уже отменено</translation>
    </message>
    <message>
        <source>Unlink from this card</source>
        <translation>Отвязать от этой карточки</translation>
    </message>
    <message>
        <source>Unlink from this card…</source>
        <translation>Отвязать от этой карточки…</translation>
    </message>
    <message>
        <source>Why is this call here?</source>
        <translation>Почему этот звонок здесь?</translation>
    </message>
    <message>
        <source>Why is this here?</source>
        <translation>Почему это здесь?</translation>
    </message>
    <message>
        <source>Why is this letter here?</source>
        <translation>Почему это письмо здесь?</translation>
    </message>
    <message>
        <source>Written or sent from Touchpoint on this card, not linked by address.</source>
        <translation>Написано или отправлено из Touchpoint в этой карточке, а не привязано по адресу.</translation>
    </message>
</context>
<context>
    <name>FeedModel</name>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
</context>
<context>
    <name>FeedRecordActions</name>
    <message>
        <source>A colleague&apos;s note: only its author or an administrator may change it</source>
        <translation>Примечание коллеги: изменить его может только автор или администратор</translation>
    </message>
    <message>
        <source>Note %1 removed</source>
        <translation>Примечание %1 удалено</translation>
    </message>
    <message>
        <source>Task %1 removed</source>
        <translation>Задача %1 удалена</translation>
    </message>
</context>
<context>
    <name>FeedView</name>
    <message>
        <source>Clear filters</source>
        <translation>Сбросить фильтры</translation>
    </message>
    <message>
        <source>Could not load this feed</source>
        <translation>Не удалось загрузить ленту</translation>
    </message>
    <message>
        <source>Log an interaction…</source>
        <translation>Новое взаимодействие…</translation>
    </message>
    <message>
        <source>No interactions yet</source>
        <translation>Взаимодействий пока нет</translation>
    </message>
    <message>
        <source>Nothing matches these filters</source>
        <translation>По этим фильтрам ничего не найдено</translation>
    </message>
    <message>
        <source>Planned interactions always show; the filters narrow the history.</source>
        <translation>Запланированные взаимодействия видны всегда; фильтры сужают только историю.</translation>
    </message>
    <message>
        <source>Press Ctrl+N to log a call or plan a meeting.</source>
        <translation>Нажмите Ctrl+N, чтобы записать звонок или запланировать встречу.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Повторить</translation>
    </message>
</context>
<context>
    <name>FieldLabelsDialog</name>
    <message>
        <source>Label in English</source>
        <translation>Подпись на английском</translation>
    </message>
    <message>
        <source>Label in Russian</source>
        <translation>Подпись на русском</translation>
    </message>
    <message>
        <source>Rename the field</source>
        <translation>Переименовать поле</translation>
    </message>
</context>
<context>
    <name>FieldsPage</name>
    <message>
        <source>Add a field…</source>
        <translation>Добавить поле…</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Список</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>No custom fields yet. Add one (a tax ID, a contract tier…): every card of its kind can show it, and each user chooses the fields their cards show.</source>
        <translation>Своих полей пока нет. Добавьте поле (ИНН, уровень договора…): его сможет показать каждая карточка этого вида, а каждый пользователь сам выбирает поля своих карточек.</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Число</translation>
    </message>
    <message>
        <source>Remove the field</source>
        <translation>Удалить поле</translation>
    </message>
    <message>
        <source>Remove the field %1 and its values on every card?</source>
        <translation>Удалить поле %1 и его значения во всех карточках?</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation>Да/нет</translation>
    </message>
</context>
<context>
    <name>FieldsSection</name>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Choose the fields this kind of card shows</source>
        <translation>Выбрать поля, которые показывает карточка этого вида</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Fields…</source>
        <translation>Поля…</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
</context>
<context>
    <name>Inbound</name>
    <message>
        <source>%1: kept for the record, no rule runs on it.</source>
        <translation>%1: сохранено, правила к нему не применяются.</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Назначено</translation>
    </message>
    <message>
        <source>Assigned %1.</source>
        <translation>Назначено %1.</translation>
    </message>
    <message>
        <source>Automatic reply</source>
        <translation>Автоответ</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыто</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>Обработано</translation>
    </message>
    <message>
        <source>Delivery report</source>
        <translation>Отчёт о доставке</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Head of department</source>
        <translation>Руководитель отдела</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>В работе</translation>
    </message>
    <message>
        <source>Mailing list</source>
        <translation>Рассылка</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новое</translation>
    </message>
    <message>
        <source>No keyword matched; the default rule %1 applied.</source>
        <translation>Ключевые слова не найдены; применено правило по умолчанию %1.</translation>
    </message>
    <message>
        <source>No rule has looked at this request yet.</source>
        <translation>Правила ещё не обрабатывали это обращение.</translation>
    </message>
    <message>
        <source>No rule of this source applied.</source>
        <translation>Ни одно правило источника не подошло.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыто</translation>
    </message>
    <message>
        <source>Processing failed: %1</source>
        <translation>Обработка не удалась: %1</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Только чтение</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Отклонено</translation>
    </message>
    <message>
        <source>Result: %1.</source>
        <translation>Результат: %1.</translation>
    </message>
    <message>
        <source>Rule %1 applied: the text contains %2.</source>
        <translation>Применено правило %1: в тексте есть %2.</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>The sender is not on any card.</source>
        <translation>Отправителя нет ни в одной карточке.</translation>
    </message>
    <message>
        <source>The sender is not on any card: a new lead was made.</source>
        <translation>Отправителя нет ни в одной карточке: создан новый потенциальный клиент.</translation>
    </message>
    <message>
        <source>The sender was found on %1.</source>
        <translation>Отправитель найден в карточке: %1.</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>Веб-форма</translation>
    </message>
    <message>
        <source>a new deal</source>
        <translation>новая сделка</translation>
    </message>
    <message>
        <source>a new support ticket</source>
        <translation>новое обращение в поддержку</translation>
    </message>
    <message>
        <source>attached to a deal by hand</source>
        <translation>привязано к сделке вручную</translation>
    </message>
    <message>
        <source>attached to an open deal</source>
        <translation>привязано к открытой сделке</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>отклонено</translation>
    </message>
    <message>
        <source>kept, nothing created</source>
        <translation>сохранено, ничего не создано</translation>
    </message>
    <message>
        <source>nothing created</source>
        <translation>ничего не создано</translation>
    </message>
    <message>
        <source>processing failed; a person has to decide</source>
        <translation>обработка не удалась; решение за сотрудником</translation>
    </message>
    <message>
        <source>the client %1</source>
        <translation>клиент %1</translation>
    </message>
    <message>
        <source>the contact person %1</source>
        <translation>контактное лицо %1</translation>
    </message>
    <message>
        <source>the lead %1</source>
        <translation>потенциальный клиент %1</translation>
    </message>
    <message>
        <source>to a role: the first member to take it owns it</source>
        <translation>на роль: кто первым возьмёт, тот и ответственный</translation>
    </message>
    <message>
        <source>to nobody: anyone may take it</source>
        <translation>никому: взять может любой</translation>
    </message>
    <message>
        <source>to the next person in the round-robin queue</source>
        <translation>следующему сотруднику в очереди</translation>
    </message>
    <message>
        <source>to the owner of the sender&apos;s card</source>
        <translation>ответственному за карточку отправителя</translation>
    </message>
    <message>
        <source>to the rule&apos;s person</source>
        <translation>сотруднику из правила</translation>
    </message>
    <message>
        <source>waits for someone to take it</source>
        <translation>ждёт, пока его кто-нибудь возьмёт</translation>
    </message>
</context>
<context>
    <name>InboundPage</name>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (по умолчанию)</translation>
    </message>
    <message>
        <source>%1 (off)</source>
        <translation>%1 (выключено)</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Add rule…</source>
        <translation>Добавить правило…</translation>
    </message>
    <message>
        <source>Add source…</source>
        <translation>Добавить источник…</translation>
    </message>
    <message>
        <source>Add your info@ mailbox, the web-form mailbox or a Telegram bot.</source>
        <translation>Добавьте ящик info@, ящик веб-форм или бота Telegram.</translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>Bot token…</source>
        <translation>Токен бота…</translation>
    </message>
    <message>
        <source>Create a deal</source>
        <translation>Создать сделку</translation>
    </message>
    <message>
        <source>Create a support ticket</source>
        <translation>Создать обращение в поддержку</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <source>Dry run…</source>
        <translation>Пробный прогон…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>Form fields…</source>
        <translation>Поля формы…</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>Ключевые слова</translation>
    </message>
    <message>
        <source>Last checked %1</source>
        <translation>Последняя проверка: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Последняя ошибка: %1</translation>
    </message>
    <message>
        <source>Mailbox %1, folder %2</source>
        <translation>Ящик %1, папка %2</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>New messages of this source become requests and its rules run on them</source>
        <translation>Новые сообщения источника становятся обращениями, и к ним применяются его правила</translation>
    </message>
    <message>
        <source>No removed sources.</source>
        <translation>Удалённых источников нет.</translation>
    </message>
    <message>
        <source>No request sources</source>
        <translation>Нет источников обращений</translation>
    </message>
    <message>
        <source>Only assign</source>
        <translation>Только назначить</translation>
    </message>
    <message>
        <source>Process requests</source>
        <translation>Обрабатывать обращения</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Очередь: %1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove source…</source>
        <translation>Удалить источник…</translation>
    </message>
    <message>
        <source>Remove the rule</source>
        <translation>Удалить правило</translation>
    </message>
    <message>
        <source>Remove the rule %1? Requests it routed keep what it did.</source>
        <translation>Удалить правило %1? Обращения, которые оно обработало, останутся как есть.</translation>
    </message>
    <message>
        <source>Remove the source</source>
        <translation>Удаление источника</translation>
    </message>
    <message>
        <source>Remove the source %1? It will not be checked any more; its requests stay in Inbound.</source>
        <translation>Удалить источник %1? Он больше не будет проверяться; его обращения останутся в разделе «Обращения».</translation>
    </message>
    <message>
        <source>Removed sources</source>
        <translation>Удалённые источники</translation>
    </message>
    <message>
        <source>Removed sources, to restore one</source>
        <translation>Удалённые источники — чтобы восстановить один из них</translation>
    </message>
    <message>
        <source>Removed…</source>
        <translation>Удалённые…</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>Роль: %1</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Правило</translation>
    </message>
    <message>
        <source>Rules are tried from the top; the first that matches applies.</source>
        <translation>Правила проверяются сверху вниз; применяется первое подходящее.</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Источники</translation>
    </message>
    <message>
        <source>The client&apos;s owner</source>
        <translation>Ответственный за клиента</translation>
    </message>
    <message>
        <source>What the saved rules would do with the last requests, beside what happened</source>
        <translation>Что сохранённые правила сделали бы с последними обращениями — рядом с тем, что было на самом деле</translation>
    </message>
    <message>
        <source>not processed</source>
        <translation>не обрабатывается</translation>
    </message>
</context>
<context>
    <name>InboundPanel</name>
    <message>
        <source>No assigned requests</source>
        <translation>Нет назначенных обращений</translation>
    </message>
    <message>
        <source>No converted requests</source>
        <translation>Нет обработанных обращений</translation>
    </message>
    <message>
        <source>No declined requests</source>
        <translation>Нет отклонённых обращений</translation>
    </message>
    <message>
        <source>No new requests</source>
        <translation>Нет новых обращений</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Requests declined with a reason show here.</source>
        <translation>Здесь появляются обращения, отклонённые с указанием причины.</translation>
    </message>
    <message>
        <source>Requests from your mailboxes, web forms and Telegram bot arrive here. Set up a source in Settings → Sources &amp; rules.</source>
        <translation>Сюда приходят обращения из ваших почтовых ящиков, веб-форм и бота Telegram. Настройте источник в Настройки → Источники и правила.</translation>
    </message>
    <message>
        <source>Requests that became a deal or a support ticket show here.</source>
        <translation>Здесь появляются обращения, ставшие сделкой или обращением в поддержку.</translation>
    </message>
    <message>
        <source>Requests that someone owns and has not converted yet show here.</source>
        <translation>Здесь появляются обращения, у которых есть ответственный, но которые ещё не обработаны.</translation>
    </message>
    <message>
        <source>Show automatic replies and mailing lists</source>
        <translation>Показывать автоответы и рассылки</translation>
    </message>
    <message>
        <source>Support tickets</source>
        <translation>Обращения в поддержку</translation>
    </message>
</context>
<context>
    <name>InboundTabs</name>
    <message>
        <source>Assigned</source>
        <translation>Назначенные</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>Обработанные</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Отклонённые</translation>
    </message>
</context>
<context>
    <name>IndicatorsPanel</name>
    <message>
        <source>All indicators are hidden. Use ⋯ to show them.</source>
        <translation>Все индикаторы скрыты. Включите их через ⋯.</translation>
    </message>
    <message>
        <source>Choose the indicators to show</source>
        <translation>Выберите, какие индикаторы показывать</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>Индикаторы</translation>
    </message>
    <message>
        <source>Interactions per month</source>
        <translation>Взаимодействия по месяцам</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>Последний контакт</translation>
    </message>
    <message>
        <source>Next planned</source>
        <translation>Следующее запланированное</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>Пока нет</translation>
    </message>
    <message>
        <source>Nothing planned</source>
        <translation>Ничего не запланировано</translation>
    </message>
    <message>
        <source>Open deals</source>
        <translation>Открытые сделки</translation>
    </message>
</context>
<context>
    <name>InteractionChecks</name>
    <message>
        <source>%1 %2 = %3 your time</source>
        <translation>%1 %2 = %3 по вашему времени</translation>
    </message>
    <message>
        <source>%1 does not exist in %2: the clocks skip that hour</source>
        <translation>Времени %1 в поясе %2 нет: в этот час часы переводят</translation>
    </message>
    <message>
        <source>%1 time, the same as yours</source>
        <translation>Время %1 совпадает с вашим</translation>
    </message>
    <message>
        <source>Choose the client this interaction is with</source>
        <translation>Выберите клиента, с которым это взаимодействие</translation>
    </message>
    <message>
        <source>Choose the type</source>
        <translation>Выберите тип</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохраняем…</translation>
    </message>
    <message>
        <source>This is in the future: tick Planned to plan it</source>
        <translation>Это время ещё не наступило: отметьте «Запланировано», чтобы запланировать</translation>
    </message>
    <message>
        <source>This time has passed: it will show as overdue</source>
        <translation>Это время уже прошло: взаимодействие будет показано как просроченное</translation>
    </message>
    <message>
        <source>Your time (%1)</source>
        <translation>Ваше время (%1)</translation>
    </message>
</context>
<context>
    <name>InteractionDialog</name>
    <message>
        <source>%1 (closed)</source>
        <translation>%1 (закрыта)</translation>
    </message>
    <message>
        <source>%1 (lead)</source>
        <translation>%1 (лид)</translation>
    </message>
    <message>
        <source>%1 with %2</source>
        <translation>%1 с %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Cancelled. Restore it to plan it again; you can pick a new time first.</source>
        <translation>Отменено. Чтобы снова запланировать, верните его; сначала можно выбрать новое время.</translation>
    </message>
    <message>
        <source>Choose the client first: its contact persons are listed here to tick.</source>
        <translation>Сначала выберите клиента: здесь появятся его контактные лица, чтобы отметить участников.</translation>
    </message>
    <message>
        <source>Fixed once saved: to change it, cancel this interaction and log a new one</source>
        <translation>После сохранения не меняется: чтобы изменить, отмените это взаимодействие и создайте новое</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>No contact persons on this card yet: add them on the card&apos;s Contacts tab, then tick here who took part.</source>
        <translation>В карточке пока нет контактных лиц: добавьте их на вкладке «Контактные лица» карточки и отметьте здесь, кто участвовал.</translation>
    </message>
    <message>
        <source>No deal</source>
        <translation>Без сделки</translation>
    </message>
    <message>
        <source>Plan next step</source>
        <translation>Запланировать следующий шаг</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>User %1</source>
        <translation>Пользователь %1</translation>
    </message>
</context>
<context>
    <name>InteractionForm</name>
    <message>
        <source>Apply a scenario…</source>
        <translation>Применить сценарий…</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Выполнить</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>How it went; added to the notes when you press Complete</source>
        <translation>Чем закончилось; добавится к описанию при нажатии «Выполнить»</translation>
    </message>
    <message>
        <source>Interaction</source>
        <translation>Взаимодействие</translation>
    </message>
    <message>
        <source>It stays in the feed, struck through; you can restore it later</source>
        <translation>Останется в ленте зачёркнутым; его можно будет вернуть</translation>
    </message>
    <message>
        <source>Mark as cancelled</source>
        <translation>Пометить как отменённое</translation>
    </message>
    <message>
        <source>Mark it done; the outcome is added to the notes</source>
        <translation>Отметить выполненным; результат добавится к описанию</translation>
    </message>
    <message>
        <source>New interaction</source>
        <translation>Новое взаимодействие</translation>
    </message>
    <message>
        <source>No deal</source>
        <translation>Без сделки</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Описание</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Plan every step of a scenario instead</source>
        <translation>Вместо одного взаимодействия запланировать все шаги сценария</translation>
    </message>
    <message>
        <source>Plan next step</source>
        <translation>Запланировать следующий шаг</translation>
    </message>
    <message>
        <source>Plan the next step</source>
        <translation>Запланировать следующий шаг</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Запланировано</translation>
    </message>
    <message>
        <source>Planned: it is still to happen. Clear it to log what was done.</source>
        <translation>Запланировано: ещё предстоит. Снимите флажок, чтобы записать уже состоявшееся.</translation>
    </message>
    <message>
        <source>Restore as planned</source>
        <translation>Вернуть в запланированные</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Set it back to planned, at the time shown above</source>
        <translation>Вернуть в запланированные на время, указанное выше</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Type to find a client</source>
        <translation>Начните вводить название клиента</translation>
    </message>
    <message>
        <source>What the letter is about</source>
        <translation>О чём письмо</translation>
    </message>
    <message>
        <source>What was said, agreed or needs preparing</source>
        <translation>О чём говорили, о чём договорились, что подготовить</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
</context>
<context>
    <name>InteractionStateChanges</name>
    <message>
        <source>Cancelling…</source>
        <translation>Отменяем…</translation>
    </message>
    <message>
        <source>Completing…</source>
        <translation>Выполняем…</translation>
    </message>
    <message>
        <source>It stays in the feed, struck through. You can restore it later.</source>
        <translation>Оно останется в ленте зачёркнутым. Его можно будет вернуть.</translation>
    </message>
    <message>
        <source>It was planned for %1. Mark it done at:</source>
        <translation>Было запланировано на %1. Отметить выполненным:</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Mark as cancelled</source>
        <translation>Пометить как отменённое</translation>
    </message>
    <message>
        <source>Mark this %1 as cancelled?</source>
        <translation>Пометить взаимодействие (%1) как отменённое?</translation>
    </message>
    <message>
        <source>Nothing was changed: this deal needs a planned next step first.</source>
        <translation>Ничего не изменено: сначала у сделки должен быть запланирован следующий шаг.</translation>
    </message>
    <message>
        <source>Plan it again for:</source>
        <translation>Запланировать снова на:</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Восстановить</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>Возвращаем…</translation>
    </message>
    <message>
        <source>This deal must always have a planned interaction. Plan the next step, and both are saved together.</source>
        <translation>У этой сделки всегда должно быть запланированное взаимодействие. Запланируйте следующий шаг — оба сохранятся вместе.</translation>
    </message>
    <message>
        <source>When did it happen?</source>
        <translation>Когда это было?</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>%1 (failed: %2)</source>
        <translation>%1 (ошибка: %2)</translation>
    </message>
    <message>
        <source>Attachment removed</source>
        <translation>Вложение удалено</translation>
    </message>
    <message>
        <source>Attachment restored</source>
        <translation>Вложение восстановлено</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <source>Card changes</source>
        <translation>Изменения карточки</translation>
    </message>
    <message>
        <source>Card created</source>
        <translation>Карточка создана</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>Changed %1</source>
        <translation>Изменено: %1</translation>
    </message>
    <message>
        <source>Contact details added</source>
        <translation>Добавлены контактные данные</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Письмо</translation>
    </message>
    <message>
        <source>Emails</source>
        <translation>Письма</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>Встреча</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Встречи</translation>
    </message>
    <message>
        <source>Messenger</source>
        <translation>Мессенджер</translation>
    </message>
    <message>
        <source>Moved to the archive</source>
        <translation>Перемещено в архив</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Примечания</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <source>Restored from the archive</source>
        <translation>Возвращено из архива</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Sharing changed</source>
        <translation>Изменён общий доступ</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Задачи</translation>
    </message>
    <message>
        <source>address</source>
        <translation>адрес</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>сумма</translation>
    </message>
    <message>
        <source>company</source>
        <translation>компания</translation>
    </message>
    <message>
        <source>contact details</source>
        <translation>контактные данные</translation>
    </message>
    <message>
        <source>label</source>
        <translation>метка</translation>
    </message>
    <message>
        <source>name</source>
        <translation>название</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>ответственный</translation>
    </message>
    <message>
        <source>position</source>
        <translation>должность</translation>
    </message>
    <message>
        <source>region</source>
        <translation>регион</translation>
    </message>
    <message>
        <source>stage</source>
        <translation>этап</translation>
    </message>
    <message>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <source>time zone</source>
        <translation>часовой пояс</translation>
    </message>
    <message>
        <source>title</source>
        <translation>название</translation>
    </message>
    <message>
        <source>«%1», step %2 of %3</source>
        <translation>«%1», шаг %2 из %3</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
</context>
<context>
    <name>LetterHeadersDialog</name>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>From</source>
        <translation>От кого</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Письмо</translation>
    </message>
    <message>
        <source>Link to…</source>
        <translation>Привязать к…</translation>
    </message>
    <message>
        <source>Only the headers of this letter were imported, because its address is on no card. Link it to a card and its text is fetched with the next mail sync.</source>
        <translation>Импортированы только заголовки этого письма: его адреса нет ни в одной карточке. Привяжите письмо к карточке, и его текст загрузится при следующей синхронизации почты.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
</context>
<context>
    <name>LinkReason</name>
    <message>
        <source>%1 is on client %2 (contact &gt; client &gt; lead)</source>
        <translation>%1 есть в карточке клиента %2 (порядок: контактное лицо &gt; клиент &gt; лид)</translation>
    </message>
    <message>
        <source>%1 is on contact person %2 (contact &gt; client &gt; lead)</source>
        <translation>%1 есть в карточке контактного лица %2 (порядок: контактное лицо &gt; клиент &gt; лид)</translation>
    </message>
    <message>
        <source>%1 is on lead %2 (contact &gt; client &gt; lead)</source>
        <translation>%1 есть в карточке лида %2 (порядок: контактное лицо &gt; клиент &gt; лид)</translation>
    </message>
    <message>
        <source>; %1 cards have it, the oldest was chosen: review</source>
        <translation>; он есть в %1 карточках, выбрана самая старая: проверьте</translation>
    </message>
    <message>
        <source>Imported by mail sync: the address was on the card.</source>
        <translation>Импортировано синхронизацией почты: адрес был в карточке.</translation>
    </message>
    <message>
        <source>Linked by hand by %1</source>
        <translation>Привязано вручную: %1</translation>
    </message>
    <message>
        <source>Unlinked by hand by %1</source>
        <translation>Отвязано вручную: %1</translation>
    </message>
</context>
<context>
    <name>LinkTargetDialog</name>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Client, contact person or lead: name, phone or email</source>
        <translation>Клиент, контактное лицо или лид: имя, телефон или email</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Привязать</translation>
    </message>
    <message>
        <source>Link to a card</source>
        <translation>Привязать к карточке</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <source>Type to search.</source>
        <translation>Начните вводить для поиска.</translation>
    </message>
</context>
<context>
    <name>ListPanel</name>
    <message>
        <source>Archive</source>
        <translation>В архив</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Архив</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>New contact person</source>
        <translation>Новое контактное лицо</translation>
    </message>
    <message>
        <source>New lead</source>
        <translation>Новый лид</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Show only the archived cards, to bring one back</source>
        <translation>Показать только карточки в архиве, чтобы вернуть одну из них</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>Вернуть из архива</translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact person(s)</source>
        <translation>
            <numerusform>%n контактное лицо</numerusform>
            <numerusform>%n контактных лица</numerusform>
            <numerusform>%n контактных лиц</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lead(s)</source>
        <translation>
            <numerusform>%n лид</numerusform>
            <numerusform>%n лида</numerusform>
            <numerusform>%n лидов</numerusform>
        </translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Client or lead</source>
        <translation>Клиент или лид</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Наименование</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Search clients by name, phone or email</source>
        <translation>Поиск клиентов по названию, телефону или почте</translation>
    </message>
    <message>
        <source>Search contact persons by name, phone or email</source>
        <translation>Поиск контактных лиц по имени, телефону или почте</translation>
    </message>
    <message>
        <source>Search leads by name, phone or email</source>
        <translation>Поиск лидов по названию, телефону или почте</translation>
    </message>
</context>
<context>
    <name>MailPanel</name>
    <message>
        <source>%1: %2 of %3 messages</source>
        <translation>%1: %2 из %3 писем</translation>
    </message>
    <message numerus="yes">
        <source>%n letter(s) wait in the outbox and go out then.</source>
        <translation>
            <numerusform>%n письмо ждёт в исходящих и уйдёт, когда связь появится.</numerusform>
            <numerusform>%n письма ждут в исходящих и уйдут, когда связь появится.</numerusform>
            <numerusform>%n писем ждут в исходящих и уйдут, когда связь появится.</numerusform>
        </translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Ящик</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>Добавить ящик…</translation>
    </message>
    <message>
        <source>Calls from a PBX export: each goes to the card that has its number</source>
        <translation>Звонки из выгрузки АТС: каждый попадает в карточку с его номером</translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation>Прервать синхронизацию</translation>
    </message>
    <message>
        <source>Do not send</source>
        <translation>Не отправлять</translation>
    </message>
    <message>
        <source>Do not send the selected letter</source>
        <translation>Не отправлять выбранное письмо</translation>
    </message>
    <message>
        <source>Enter password…</source>
        <translation>Ввести пароль…</translation>
    </message>
    <message>
        <source>Enter the mailbox password again; it is kept in the system keyring</source>
        <translation>Ввести пароль ящика ещё раз; он хранится в системном хранилище паролей</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Ошибка: %1</translation>
    </message>
    <message numerus="yes">
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Каждую %n минуту</numerusform>
            <numerusform>Каждые %n минуты</numerusform>
            <numerusform>Каждые %n минут</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetch the selected mailbox now</source>
        <translation>Получить письма выбранного ящика сейчас</translation>
    </message>
    <message>
        <source>Import call log…</source>
        <translation>Импорт журнала звонков…</translation>
    </message>
    <message>
        <source>Last failure</source>
        <translation>Последняя ошибка</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Последняя синхронизация</translation>
    </message>
    <message>
        <source>Link a mailbox</source>
        <translation>Подключить почтовый ящик</translation>
    </message>
    <message>
        <source>Mail accounts</source>
        <translation>Почтовые ящики</translation>
    </message>
    <message>
        <source>Mailboxes</source>
        <translation>Почтовые ящики</translation>
    </message>
    <message>
        <source>No mailbox is linked yet. Add one to import letters with your clients and to send mail from Touchpoint.</source>
        <translation>Почтовый ящик ещё не подключён. Подключите его, чтобы письма клиентов попадали в ленту, а письма можно было отправлять из Touchpoint.</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Не отправлено</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Исходящие</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Приостановлено</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Отключить ящик</translation>
    </message>
    <message>
        <source>Remove the selected mailbox</source>
        <translation>Удалить выбранный ящик</translation>
    </message>
    <message>
        <source>Remove this mailbox from Touchpoint? Imported letters stay in the feeds; the saved password is deleted from the keyring.</source>
        <translation>Отключить этот ящик от Touchpoint? Загруженные письма останутся в лентах, а сохранённый пароль будет удалён из хранилища паролей.</translation>
    </message>
    <message>
        <source>Send at</source>
        <translation>Отправить в</translation>
    </message>
    <message>
        <source>Send due letters now</source>
        <translation>Отправить готовые письма сейчас</translation>
    </message>
    <message>
        <source>Send the due letters now</source>
        <translation>Отправить письма, срок которых наступил, сейчас</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Отправляется</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Stop after the current batch</source>
        <translation>Остановить после текущей порции</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>Остановка после текущей порции…</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Syncing %1: %2 of %3</source>
        <translation>Синхронизация %1: %2 из %3</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Синхронизация…</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>Unlinked letters</source>
        <translation>Непривязанные письма</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ожидает отправки</translation>
    </message>
    <message>
        <source>You are offline. Mail sync resumes by itself when the connection is back.</source>
        <translation>Нет подключения к сети. Синхронизация почты возобновится сама, когда связь восстановится.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ещё не было</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>%1 new, %2 assigned</source>
        <translation>новых: %1, назначенных: %2</translation>
    </message>
    <message>
        <source>Touchpoint</source>
        <translation>Touchpoint</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Form fields</source>
        <translation>Поля формы</translation>
    </message>
    <message>
        <source>Leave a field empty to use the usual labels (Имя, Name, Телефон, Phone, E-mail, Сообщение, Message …).</source>
        <translation>Оставьте поле пустым, чтобы использовать обычные подписи (Имя, Name, Телефон, Phone, E-mail, Сообщение, Message …).</translation>
    </message>
</context>
<context>
    <name>MemoBox</name>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Click Edit to write what everyone should know.</source>
        <translation>Нажмите «Изменить» и напишите то, что должны знать все.</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>No memo yet. Click Edit to write what everyone should know.</source>
        <translation>Заметки пока нет. Нажмите «Изменить» и напишите то, что должны знать все.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>The memo cannot be empty</source>
        <translation>Заметка не может быть пустой</translation>
    </message>
    <message>
        <source>This card already has a memo. Save again to replace it with this text.</source>
        <translation>У карточки уже есть заметка. Сохраните ещё раз, чтобы заменить её этим текстом.</translation>
    </message>
    <message>
        <source>What everyone should know about this client</source>
        <translation>Что всем нужно знать об этом клиенте</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message>
        <source>%1 wrote:</source>
        <translation>%1 написал(а):</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Edit interaction…</source>
        <translation>Изменить взаимодействие…</translation>
    </message>
    <message>
        <source>Entered by hand</source>
        <translation>Внесено вручную</translation>
    </message>
    <message>
        <source>From</source>
        <translation>От</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Письмо</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>On %1, %2 wrote:</source>
        <translation>%1, %2 написал(а):</translation>
    </message>
    <message>
        <source>Preparing the letter…</source>
        <translation>Письмо готовится…</translation>
    </message>
    <message>
        <source>Remote images are blocked: loading them tells the sender you read this.</source>
        <translation>Внешние изображения заблокированы: их загрузка сообщит отправителю, что вы прочли письмо.</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <source>Show as plain text</source>
        <translation>Показать как простой текст</translation>
    </message>
    <message>
        <source>Show quoted text</source>
        <translation>Показать цитату</translation>
    </message>
    <message>
        <source>Show remote content</source>
        <translation>Показать внешнее содержимое</translation>
    </message>
    <message>
        <source>Show with formatting</source>
        <translation>Показать с оформлением</translation>
    </message>
    <message>
        <source>The text of this letter arrives with the next mail sync.</source>
        <translation>Текст письма придёт при следующей синхронизации почты.</translation>
    </message>
    <message>
        <source>This letter was simplified: %1.</source>
        <translation>Письмо упрощено: %1.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>Why here</source>
        <translation>Почему здесь</translation>
    </message>
    <message>
        <source>only its beginning is shown</source>
        <translation>показано только его начало</translation>
    </message>
    <message>
        <source>only its first 200 images are shown</source>
        <translation>показаны только первые 200 изображений</translation>
    </message>
    <message>
        <source>parts nested too deeply were flattened</source>
        <translation>слишком глубоко вложенные части упрощены</translation>
    </message>
    <message>
        <source>parts past its first 20,000 elements lost their formatting</source>
        <translation>после первых 20 000 элементов оформление убрано</translation>
    </message>
    <message>
        <source>tables nested too deeply became plain lines</source>
        <translation>слишком глубоко вложенные таблицы показаны строками</translation>
    </message>
</context>
<context>
    <name>MonthBars</name>
    <message>
        <source>%1: %2 interactions</source>
        <translation>%1: взаимодействий — %2</translation>
    </message>
</context>
<context>
    <name>MovedDayDialog</name>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>e.g. the decree, or why</source>
        <translation>например, постановление или причина</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>Сделки</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>Обращения</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Лиды</translation>
    </message>
    <message>
        <source>Mail</source>
        <translation>Почта</translation>
    </message>
    <message>
        <source>My agenda</source>
        <translation>Мои дела</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
</context>
<context>
    <name>NewFieldDialog</name>
    <message>
        <source>Card</source>
        <translation>Карточка</translation>
    </message>
    <message>
        <source>Choices</source>
        <translation>Варианты</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>Label in English</source>
        <translation>Подпись на английском</translation>
    </message>
    <message>
        <source>Label in Russian</source>
        <translation>Подпись на русском</translation>
    </message>
    <message>
        <source>New field</source>
        <translation>Новое поле</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>choices, separated by ;</source>
        <translation>варианты через ;</translation>
    </message>
    <message>
        <source>e.g. tax_id: letters, digits and _</source>
        <translation>например tax_id: латинские буквы, цифры и _</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>Add a colleague</source>
        <translation>Добавить коллегу</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>as they sign in, e.g. anna</source>
        <translation>как при входе, например anna</translation>
    </message>
</context>
<context>
    <name>NoteActions</name>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove note</source>
        <translation>Удаление примечания</translation>
    </message>
    <message>
        <source>Remove the note %1? It is deleted for everyone.</source>
        <translation>Удалить примечание %1? Оно удаляется у всех.</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>By %1</source>
        <translation>Автор: %1</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>Изменить примечание</translation>
    </message>
    <message>
        <source>Note text; @login mentions a colleague</source>
        <translation>Текст примечания; @логин упоминает коллегу</translation>
    </message>
</context>
<context>
    <name>OriginalDialog</name>
    <message>
        <source>Original message</source>
        <translation>Исходное сообщение</translation>
    </message>
    <message>
        <source>The original was %1 bytes; only its beginning was kept.</source>
        <translation>Исходное сообщение занимало %1 байт; сохранено только его начало.</translation>
    </message>
</context>
<context>
    <name>PartyDialog</name>
    <message>
        <source>+7 495 123-45-67</source>
        <translation>+7 495 123-45-67</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Already in Touchpoint — open it instead?</source>
        <translation>Уже есть в Touchpoint — открыть его?</translation>
    </message>
    <message>
        <source>Check the name first</source>
        <translation>Сначала исправьте имя</translation>
    </message>
    <message>
        <source>Check the phone number first</source>
        <translation>Сначала исправьте номер телефона</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Client name</source>
        <translation>Название клиента</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Edit client</source>
        <translation>Изменить клиента</translation>
    </message>
    <message>
        <source>Edit contact person</source>
        <translation>Изменить контактное лицо</translation>
    </message>
    <message>
        <source>Edit lead</source>
        <translation>Изменить лид</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>ФИО</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>New contact person</source>
        <translation>Новое контактное лицо</translation>
    </message>
    <message>
        <source>New lead</source>
        <translation>Новый лид</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Person or company</source>
        <translation>Человек или компания</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Должность</translation>
    </message>
    <message>
        <source>RU, KZ, DE…</source>
        <translation>RU, KZ, DE…</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Saved as %1</source>
        <translation>Будет сохранён как %1</translation>
    </message>
    <message>
        <source>by default: %1</source>
        <translation>по умолчанию: %1</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>same email</source>
        <translation>тот же адрес</translation>
    </message>
    <message>
        <source>same name</source>
        <translation>то же имя</translation>
    </message>
    <message>
        <source>same phone</source>
        <translation>тот же телефон</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Enter the password of the mailbox.</source>
        <translation>Введите пароль почтового ящика.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Password of %1</source>
        <translation>Пароль %1</translation>
    </message>
</context>
<context>
    <name>Phones</name>
    <message>
        <source>ext.</source>
        <translation>доб.</translation>
    </message>
</context>
<context>
    <name>PipelineHistory</name>
    <message>
        <source>A deal must now always have a planned next step</source>
        <translation>Теперь у сделки всегда должен быть запланированный следующий шаг</translation>
    </message>
    <message>
        <source>A planned next step is no longer required</source>
        <translation>Запланированный следующий шаг больше не обязателен</translation>
    </message>
    <message>
        <source>Pipeline created as «%1»</source>
        <translation>Воронка создана с названием «%1»</translation>
    </message>
    <message>
        <source>Renamed from «%1» to «%2»</source>
        <translation>Переименована: «%1» → «%2»</translation>
    </message>
    <message>
        <source>Stage «%1» moved to place %2</source>
        <translation>Этап «%1» перемещён на место %2</translation>
    </message>
    <message>
        <source>Stage «%1» removed</source>
        <translation>Этап «%1» удалён</translation>
    </message>
    <message>
        <source>Stage «%1» renamed to «%2»</source>
        <translation>Этап «%1» переименован в «%2»</translation>
    </message>
    <message>
        <source>Stage «%2» added</source>
        <translation>Добавлен этап «%2»</translation>
    </message>
</context>
<context>
    <name>PipelineHistoryView</name>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>Changes to this pipeline</source>
        <translation>Изменения этой воронки</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
</context>
<context>
    <name>PipelinesPage</name>
    <message>
        <source>%1 · closes the deal as lost</source>
        <translation>%1 · сделка проиграна</translation>
    </message>
    <message>
        <source>%1 · closes the deal as won</source>
        <translation>%1 · сделка выиграна</translation>
    </message>
    <message numerus="yes">
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n сделка</numerusform>
            <numerusform>%n сделки</numerusform>
            <numerusform>%n сделок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deal(s) are in this stage; move them first</source>
        <translation>
            <numerusform>В этом этапе %n сделка: сначала перенесите её</numerusform>
            <numerusform>В этом этапе %n сделки: сначала перенесите их</numerusform>
            <numerusform>В этом этапе %n сделок: сначала перенесите их</numerusform>
        </translation>
    </message>
    <message>
        <source>A deal must always have a planned next step</source>
        <translation>У сделки всегда должен быть запланированный следующий шаг</translation>
    </message>
    <message>
        <source>A pipeline named %1 exists already</source>
        <translation>Воронка %1 уже есть</translation>
    </message>
    <message>
        <source>Add pipeline</source>
        <translation>Добавить воронку</translation>
    </message>
    <message>
        <source>Add stage</source>
        <translation>Добавить этап</translation>
    </message>
    <message>
        <source>Changes to this pipeline</source>
        <translation>Изменения этой воронки</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>Name of a new pipeline</source>
        <translation>Название новой воронки</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новая</translation>
    </message>
    <message>
        <source>No pipelines yet. A pipeline is the path of a deal, stage by stage: type its name above and add it.</source>
        <translation>Воронок пока нет. Воронка — это путь сделки по этапам: введите её название выше и добавьте.</translation>
    </message>
    <message>
        <source>Pipeline name</source>
        <translation>Название воронки</translation>
    </message>
    <message>
        <source>Remove stage</source>
        <translation>Удалить этап</translation>
    </message>
    <message>
        <source>Remove the stage «%1» from «%2»? No deal is in it.</source>
        <translation>Удалить этап «%1» из воронки «%2»? Сделок в нём нет.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Переименовать</translation>
    </message>
    <message>
        <source>Rename stage</source>
        <translation>Переименовать этап</translation>
    </message>
    <message>
        <source>Stage name</source>
        <translation>Название этапа</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Этапы</translation>
    </message>
    <message>
        <source>The name must not be empty</source>
        <translation>Название не может быть пустым</translation>
    </message>
    <message>
        <source>This pipeline has a stage %1 already</source>
        <translation>В этой воронке уже есть этап %1</translation>
    </message>
</context>
<context>
    <name>PointDialog</name>
    <message>
        <source>+7 495 123-45-67</source>
        <translation>+7 495 123-45-67</translation>
    </message>
    <message>
        <source>Add phone or email</source>
        <translation>Добавить телефон или email</translation>
    </message>
    <message>
        <source>Earlier letters and calls with it are linked to this card right after saving.</source>
        <translation>Прежние письма и звонки с ним привяжутся к этой карточке сразу после сохранения.</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Метка</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Type an address or a number</source>
        <translation>Введите адрес или номер</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>work, mobile… (optional)</source>
        <translation>рабочий, мобильный… (необязательно)</translation>
    </message>
</context>
<context>
    <name>QuickBlock</name>
    <message>
        <source>Add note</source>
        <translation>Добавить примечание</translation>
    </message>
    <message>
        <source>Add task</source>
        <translation>Добавить задачу</translation>
    </message>
    <message>
        <source>Assignee: %1</source>
        <translation>Исполнитель: %1</translation>
    </message>
    <message>
        <source>Configure an SMS provider in Settings</source>
        <translation>Настройте SMS-провайдера в настройках</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Mention: %1</source>
        <translation>Упомянуть: %1</translation>
    </message>
    <message>
        <source>Mentioned colleagues see this note in their agenda</source>
        <translation>Упомянутые коллеги увидят это примечание в «Моих делах»</translation>
    </message>
    <message>
        <source>No colleague with a login starting with @%1</source>
        <translation>Нет коллеги с логином на @%1</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>What needs doing</source>
        <translation>Что нужно сделать</translation>
    </message>
    <message>
        <source>Write a note… @login notifies a colleague</source>
        <translation>Напишите примечание… @логин уведомит коллегу</translation>
    </message>
</context>
<context>
    <name>Quotes</name>
    <message>
        <source>“%1”</source>
        <translation>«%1»</translation>
    </message>
</context>
<context>
    <name>ReasonsDialog</name>
    <message>
        <source>%1 (hidden)</source>
        <translation>%1 (скрыто)</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Добавить…</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>New reason</source>
        <translation>Новая причина</translation>
    </message>
    <message>
        <source>Reasons to decline</source>
        <translation>Причины отклонения</translation>
    </message>
    <message>
        <source>Rename the reason</source>
        <translation>Переименовать причину</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <source>Reassign</source>
        <translation>Передать</translation>
    </message>
    <message>
        <source>Reassign the request</source>
        <translation>Передать обращение</translation>
    </message>
    <message>
        <source>Who takes this request over?</source>
        <translation>Кому передать обращение?</translation>
    </message>
</context>
<context>
    <name>RecordActions</name>
    <message>
        <source>%1 archived</source>
        <translation>%1: в архиве</translation>
    </message>
    <message>
        <source>%1 is back in the lists</source>
        <translation>%1: снова в списках</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Convert</source>
        <translation>Сделать клиентом</translation>
    </message>
    <message>
        <source>Convert to client</source>
        <translation>Сделать клиентом</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Make this lead a client? Its contacts, deals and history move to it.</source>
        <translation>Сделать этого лида клиентом? Его контакты, сделки и история перейдут к клиенту.</translation>
    </message>
    <message>
        <source>No longer shared with %1</source>
        <translation>Доступ закрыт: %1</translation>
    </message>
    <message>
        <source>Open or select a client or a lead first: it will own the new card.</source>
        <translation>Сначала откройте или выберите клиента или лида: новая карточка будет принадлежать ему.</translation>
    </message>
    <message>
        <source>Touchpoint</source>
        <translation>Touchpoint</translation>
    </message>
</context>
<context>
    <name>RecordHistory</name>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Исполнитель</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Автор</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Created: «%1»</source>
        <translation>Создано: «%1»</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>Выполнено</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Marked done</source>
        <translation>Отмечено выполненным</translation>
    </message>
    <message>
        <source>Removed: «%1»</source>
        <translation>Удалено: «%1»</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Возвращено в работу</translation>
    </message>
    <message>
        <source>Text edited</source>
        <translation>Текст изменён</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
</context>
<context>
    <name>RecordHistoryDialog</name>
    <message>
        <source>After:</source>
        <translation>Стало:</translation>
    </message>
    <message>
        <source>Before:</source>
        <translation>Было:</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>History of the note</source>
        <translation>История примечания</translation>
    </message>
    <message>
        <source>History of the task</source>
        <translation>История задачи</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>No changes recorded.</source>
        <translation>Изменений не записано.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <source>The change in full</source>
        <translation>Изменение целиком</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
</context>
<context>
    <name>ReplicaSection</name>
    <message>
        <source>%1 of %2 records copied</source>
        <translation>Скопировано записей: %1 из %2</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not yet synced.</source>
        <translation>
            <numerusform>%n изменение ещё не синхронизировано.</numerusform>
            <numerusform>%n изменения ещё не синхронизированы.</numerusform>
            <numerusform>%n изменений ещё не синхронизировано.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) on this laptop have not reached the server yet.</source>
        <translation>
            <numerusform>%n изменение на этом ноутбуке ещё не попало на сервер.</numerusform>
            <numerusform>%n изменения на этом ноутбуке ещё не попали на сервер.</numerusform>
            <numerusform>%n изменений на этом ноутбуке ещё не попало на сервер.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) refused by the server.</source>
        <translation>
            <numerusform>%n изменение отклонено сервером.</numerusform>
            <numerusform>%n изменения отклонены сервером.</numerusform>
            <numerusform>%n изменений отклонено сервером.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to review.</source>
        <translation>
            <numerusform>%n конфликт ждёт решения.</numerusform>
            <numerusform>%n конфликта ждут решения.</numerusform>
            <numerusform>%n конфликтов ждут решения.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Contact details</source>
        <translation>Контактные данные</translation>
    </message>
    <message>
        <source>Contact persons</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Copy the clients you may see from the server above to this laptop; work without a network and sync when it is back</source>
        <translation>Скопировать на этот ноутбук клиентов, которых вы видите на сервере выше; работать без сети и синхронизироваться, когда она появится</translation>
    </message>
    <message>
        <source>Copying what %1 may see from the server… Keep Touchpoint open.</source>
        <translation>Копируем с сервера то, что видит %1… Не закрывайте Touchpoint.</translation>
    </message>
    <message>
        <source>Custom field values</source>
        <translation>Значения дополнительных полей</translation>
    </message>
    <message>
        <source>Custom fields</source>
        <translation>Дополнительные поля</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>Сделки</translation>
    </message>
    <message>
        <source>Handing the scenario runs of this laptop to the server…</source>
        <translation>Передаём серверу сценарии, запущенные на этом ноутбуке…</translation>
    </message>
    <message>
        <source>Interaction types</source>
        <translation>Типы взаимодействий</translation>
    </message>
    <message>
        <source>Interactions</source>
        <translation>Взаимодействия</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Лиды</translation>
    </message>
    <message>
        <source>Memos</source>
        <translation>Памятки</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <source>Offline copy of %1 as %2. Last sync: %3.</source>
        <translation>Автономная копия %1, вход %2. Последняя синхронизация: %3.</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Воронки</translation>
    </message>
    <message>
        <source>Review conflicts…</source>
        <translation>Разобрать конфликты…</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Роли</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Этапы</translation>
    </message>
    <message>
        <source>Stop the copy after the current batch; the next try goes on from there</source>
        <translation>Остановить копирование после текущей порции; следующая попытка продолжит с этого места</translation>
    </message>
    <message>
        <source>Stop without them</source>
        <translation>Прекратить без них</translation>
    </message>
    <message>
        <source>Stop working offline</source>
        <translation>Прекратить работу без сети</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>Остановка после текущей порции…</translation>
    </message>
    <message>
        <source>Sync first</source>
        <translation>Сначала синхронизировать</translation>
    </message>
    <message>
        <source>Sync them first, or stop without them: the server will not get them, they stay only in the copy on this laptop.</source>
        <translation>Сначала синхронизируйте их или прекратите без них: сервер их не получит, они останутся только в копии на этом ноутбуке.</translation>
    </message>
    <message>
        <source>Syncing… Stop again once nothing is pending.</source>
        <translation>Синхронизация… Нажмите «Прекратить» ещё раз, когда ничего не будет ждать отправки.</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Задачи</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <source>The copy was stopped. Touchpoint keeps working on the server; “Work offline on this laptop” goes on from where it stopped.</source>
        <translation>Копирование остановлено. Touchpoint продолжает работать с сервером; «Работать без сети на этом ноутбуке» продолжит с того же места.</translation>
    </message>
    <message>
        <source>The offline copy is ready. Restart Touchpoint to work on it.</source>
        <translation>Автономная копия готова. Перезапустите Touchpoint, чтобы работать с ней.</translation>
    </message>
    <message>
        <source>The scenario runs this laptop executes still go to the server, with the records they are on.</source>
        <translation>Сценарии, которые выполняет этот ноутбук, всё равно передаются на сервер вместе с записями, к которым они относятся.</translation>
    </message>
    <message>
        <source>The server cannot be reached now: to sync first, connect and try again.</source>
        <translation>Сервер сейчас недоступен: чтобы сначала синхронизировать, подключитесь к сети и попробуйте снова.</translation>
    </message>
    <message>
        <source>This computer works on the server directly. Working offline keeps a copy of your clients on this laptop and syncs it with the server.</source>
        <translation>Этот компьютер работает прямо с сервером. При работе без сети копия ваших клиентов хранится на ноутбуке и синхронизируется с сервером.</translation>
    </message>
    <message>
        <source>Touchpoint will work on the server again from its next start; the copy on this laptop stays in the data folder.</source>
        <translation>Со следующего запуска Touchpoint снова будет работать с сервером; копия останется в папке данных на этом ноутбуке.</translation>
    </message>
    <message>
        <source>Touchpoint works offline on this laptop from its next start.</source>
        <translation>Со следующего запуска Touchpoint работает на этом ноутбуке без сети.</translation>
    </message>
    <message>
        <source>Touchpoint works on the server from its next start.</source>
        <translation>Со следующего запуска Touchpoint работает с сервером.</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation>Работа без сети</translation>
    </message>
    <message>
        <source>Work offline on this laptop</source>
        <translation>Работать без сети на этом ноутбуке</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ни разу</translation>
    </message>
</context>
<context>
    <name>RequestCard</name>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>A new lead was made for the sender.</source>
        <translation>Для отправителя создан новый потенциальный клиент.</translation>
    </message>
    <message>
        <source>Attach to a deal…</source>
        <translation>Привязать к сделке…</translation>
    </message>
    <message>
        <source>Choose a request in the list to see it here.</source>
        <translation>Выберите обращение в списке, чтобы увидеть его здесь.</translation>
    </message>
    <message>
        <source>Decline this request with a reason (Delete)</source>
        <translation>Отклонить обращение с указанием причины (Delete)</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>Отклонить…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>От</translation>
    </message>
    <message>
        <source>Give this request to a colleague (Ctrl+R)</source>
        <translation>Передать обращение коллеге (Ctrl+R)</translation>
    </message>
    <message>
        <source>Link to a card…</source>
        <translation>Связать с карточкой…</translation>
    </message>
    <message>
        <source>Make this request yours (Ctrl+T)</source>
        <translation>Взять обращение себе (Ctrl+T)</translation>
    </message>
    <message>
        <source>No request selected</source>
        <translation>Обращение не выбрано</translation>
    </message>
    <message>
        <source>Nobody yet</source>
        <translation>Пока никто</translation>
    </message>
    <message>
        <source>Offered to the role %1</source>
        <translation>Адресовано роли %1</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Open deal</source>
        <translation>Открыть сделку</translation>
    </message>
    <message>
        <source>Open ticket</source>
        <translation>Открыть обращение в поддержку</translation>
    </message>
    <message>
        <source>Open ticket #%1</source>
        <translation>Открыть обращение в поддержку №%1</translation>
    </message>
    <message>
        <source>Original…</source>
        <translation>Исходное…</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>Передать…</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Получено</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Вернуть в работу</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>Взять</translation>
    </message>
    <message>
        <source>The message exactly as it arrived</source>
        <translation>Сообщение в том виде, в каком оно пришло</translation>
    </message>
    <message>
        <source>The request is on %1 now</source>
        <translation>Обращение связано с %1</translation>
    </message>
    <message>
        <source>The request is open again</source>
        <translation>Обращение снова открыто</translation>
    </message>
    <message>
        <source>The request is yours now</source>
        <translation>Теперь вы ответственный за обращение</translation>
    </message>
    <message>
        <source>The request was declined</source>
        <translation>Обращение отклонено</translation>
    </message>
    <message>
        <source>The request went to %1</source>
        <translation>Обращение передано: %1</translation>
    </message>
    <message>
        <source>This request cannot be shown</source>
        <translation>Это обращение нельзя показать</translation>
    </message>
    <message>
        <source>Undo conversion</source>
        <translation>Отменить обработку</translation>
    </message>
    <message>
        <source>What the rule did and why</source>
        <translation>Что сделало правило и почему</translation>
    </message>
</context>
<context>
    <name>RequestLink</name>
    <message>
        <source>Attach the request to an open deal: no new deal is made for it.</source>
        <translation>Привязать обращение к открытой сделке: новая сделка не создаётся.</translation>
    </message>
    <message>
        <source>Attach to a deal</source>
        <translation>Привязать к сделке</translation>
    </message>
    <message>
        <source>Put the request on the card of a client, lead or contact person.</source>
        <translation>Связать обращение с карточкой клиента, потенциального клиента или контактного лица.</translation>
    </message>
</context>
<context>
    <name>RequestModel</name>
    <message>
        <source>(no text)</source>
        <translation>(без текста)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>От</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Получено</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>Роль: %1</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
</context>
<context>
    <name>RequestsTab</name>
    <message>
        <source>From</source>
        <translation>От</translation>
    </message>
    <message>
        <source>No inbound requests</source>
        <translation>Нет обращений</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Получено</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <source>Requests from this client&apos;s addresses and numbers appear here.</source>
        <translation>Здесь появляются обращения с адресов и номеров этого клиента.</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore</source>
        <translation>Восстановить</translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message>
        <source>A role: the first member to take it owns it</source>
        <translation>На роль: кто первым возьмёт, тот и ответственный</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Действует</translation>
    </message>
    <message>
        <source>Create a deal</source>
        <translation>Создать сделку</translation>
    </message>
    <message>
        <source>Create a support ticket</source>
        <translation>Создать обращение в поддержку</translation>
    </message>
    <message>
        <source>Deal owner</source>
        <translation>Ответственный за сделку</translation>
    </message>
    <message>
        <source>Decline with a reason</source>
        <translation>Отклонить с причиной</translation>
    </message>
    <message>
        <source>Default rule: applies when no other rule matches</source>
        <translation>Правило по умолчанию: применяется, когда не подошло другое</translation>
    </message>
    <message>
        <source>Edit the rule</source>
        <translation>Изменить правило</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>Ключевые слова</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Новое правило</translation>
    </message>
    <message>
        <source>One user</source>
        <translation>Одному сотруднику</translation>
    </message>
    <message>
        <source>Only assign</source>
        <translation>Только назначить</translation>
    </message>
    <message>
        <source>Otherwise assign to</source>
        <translation>Иначе адресовать</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Воронка</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Replay the source&apos;s last requests with this rule, before saving</source>
        <translation>Прогнать последние обращения источника с этим правилом до сохранения</translation>
    </message>
    <message>
        <source>Requests from known clients go to the client&apos;s owner</source>
        <translation>Обращения от известных клиентов адресовать ответственному сотруднику</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Separated by “;”. Found in the subject or the text, in any case; ё is е.</source>
        <translation>Через «;». Ищутся в теме или тексте без учёта регистра; ё = е.</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>The client&apos;s owner only</source>
        <translation>Только ответственному за клиента</translation>
    </message>
    <message>
        <source>The first stage</source>
        <translation>Первый этап</translation>
    </message>
    <message>
        <source>The next user in a queue</source>
        <translation>Пользователю в очереди</translation>
    </message>
    <message>
        <source>Try on the last requests…</source>
        <translation>Проверить на последних обращениях…</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Сотрудник</translation>
    </message>
    <message>
        <source>Whoever gets the request</source>
        <translation>Тот, кому досталось обращение</translation>
    </message>
    <message>
        <source>Whole words only</source>
        <translation>Только целые слова</translation>
    </message>
    <message>
        <source>price; invoice; счёт; прайс</source>
        <translation>счёт; прайс; price; invoice</translation>
    </message>
</context>
<context>
    <name>RunsSection</name>
    <message>
        <source>A scenario is applied to a client&apos;s contact person.</source>
        <translation>Сценарий применяется к контактному лицу клиента.</translation>
    </message>
    <message>
        <source>Apply a scenario…</source>
        <translation>Применить сценарий…</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Отменить запуск</translation>
    </message>
    <message>
        <source>Cancel «%1» for %2? The steps not done yet are cancelled; they stay in the feed, struck through.</source>
        <translation>Отменить «%1» для %2? Невыполненные шаги будут отменены и останутся в ленте зачёркнутыми.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Let the letters still to go be sent</source>
        <translation>Продолжить отправку оставшихся писем</translation>
    </message>
    <message>
        <source>No scenario running.</source>
        <translation>Сценарии не запущены.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Возобновить</translation>
    </message>
    <message>
        <source>all steps done</source>
        <translation>все шаги выполнены</translation>
    </message>
    <message>
        <source>next: %1, %2 %3</source>
        <translation>далее: %1, %2 %3</translation>
    </message>
    <message>
        <source>paused: the contact replied</source>
        <translation>приостановлен: контакт ответил</translation>
    </message>
    <message>
        <source>step %1 failed, will be tried again: %2</source>
        <translation>шаг %1 не выполнен, будет повторён: %2</translation>
    </message>
</context>
<context>
    <name>ScenarioEditor</name>
    <message>
        <source>+%1 wd</source>
        <translation>+%1 раб. дн.</translation>
    </message>
    <message>
        <source>AI</source>
        <translation>ИИ</translation>
    </message>
    <message>
        <source>AI prompt</source>
        <translation>Промпт ИИ</translation>
    </message>
    <message>
        <source>Active: offered when applying</source>
        <translation>Активен: предлагается при применении</translation>
    </message>
    <message>
        <source>Add a step after the chosen one (Insert)</source>
        <translation>Добавить шаг после выбранного (Insert)</translation>
    </message>
    <message>
        <source>Add step</source>
        <translation>Добавить шаг</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Содержание</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Дублировать</translation>
    </message>
    <message>
        <source>Duplicate the step (Ctrl+D)</source>
        <translation>Дублировать шаг (Ctrl+D)</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Режим</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Move the step down (Alt+Down)</source>
        <translation>Переместить шаг ниже (Alt+Down)</translation>
    </message>
    <message>
        <source>Move the step up (Alt+Up)</source>
        <translation>Переместить шаг выше (Alt+Up)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>No steps yet: add the first call, letter or meeting of the chain.</source>
        <translation>Шагов пока нет: добавьте первый звонок, письмо или встречу цепочки.</translation>
    </message>
    <message>
        <source>Pause them until resumed</source>
        <translation>Приостановить их до возобновления</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Remove the step (Delete); it can be undone</source>
        <translation>Удалить шаг (Delete); это можно отменить</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Вернуть</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>Сохранить сценарий</translation>
    </message>
    <message>
        <source>Scenarios are edited on the server: on this offline copy they are read-only.</source>
        <translation>Сценарии редактируются на сервере: в офлайн-копии они доступны только для чтения.</translation>
    </message>
    <message>
        <source>Someone else&apos;s scenario: its author or an administrator may change it.</source>
        <translation>Чужой сценарий: изменить его может автор или администратор.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Step %1 removed.</source>
        <translation>Шаг %1 удалён.</translation>
    </message>
    <message>
        <source>Steps belong to</source>
        <translation>Ответственный за шаги</translation>
    </message>
    <message>
        <source>Stop the letters still to go</source>
        <translation>Остановить неотправленные письма</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Template «%1»</source>
        <translation>Шаблон «%1»</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>The client&apos;s owner</source>
        <translation>Ответственный за клиента</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>Задержка</translation>
    </message>
    <message>
        <source>What the chain is for</source>
        <translation>Для чего эта цепочка</translation>
    </message>
    <message>
        <source>When the contact replies</source>
        <translation>Когда контакт отвечает</translation>
    </message>
    <message>
        <source>Whether the AI writes the step, and whether it sends by itself</source>
        <translation>Пишет ли шаг ИИ и отправляется ли он сам</translation>
    </message>
    <message>
        <source>Who starts the scenario</source>
        <translation>Кто запускает сценарий</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>сразу</translation>
    </message>
    <message>
        <source>e.g. First meeting</source>
        <translation>например, Первая встреча</translation>
    </message>
    <message>
        <source>same day</source>
        <translation>в тот же день</translation>
    </message>
    <message>
        <source>sends by itself</source>
        <translation>отправляется сам</translation>
    </message>
</context>
<context>
    <name>ScenariosPage</name>
    <message>
        <source>A scenario is a chain of calls, letters and meetings with a client, each a few working days after the one before. Applied from a card, it plans them all.</source>
        <translation>Сценарий — это цепочка звонков, писем и встреч с клиентом, каждый шаг через несколько рабочих дней после предыдущего. Применённый из карточки, он планирует их все.</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Delete scenario</source>
        <translation>Удаление сценария</translation>
    </message>
    <message>
        <source>Delete the scenario «%1»? It will no longer be offered; chains already applied to clients go on.</source>
        <translation>Удалить сценарий «%1»? Он больше не будет предлагаться; цепочки, уже применённые к клиентам, продолжатся.</translation>
    </message>
    <message>
        <source>Delete the scenario; chains already applied to clients go on</source>
        <translation>Удалить сценарий; цепочки, уже применённые к клиентам, продолжатся</translation>
    </message>
    <message>
        <source>Deleted scenarios</source>
        <translation>Удалённые сценарии</translation>
    </message>
    <message>
        <source>Deleted scenarios, to restore one</source>
        <translation>Удалённые сценарии — чтобы восстановить один из них</translation>
    </message>
    <message>
        <source>Deleted…</source>
        <translation>Удалённые…</translation>
    </message>
    <message>
        <source>Drop the changes to this scenario?</source>
        <translation>Отменить изменения в этом сценарии?</translation>
    </message>
    <message>
        <source>New scenario</source>
        <translation>Новый сценарий</translation>
    </message>
    <message>
        <source>No deleted scenarios.</source>
        <translation>Удалённых сценариев нет.</translation>
    </message>
    <message>
        <source>No scenarios yet</source>
        <translation>Сценариев пока нет</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>Scenario «%1» deleted.</source>
        <translation>Сценарий «%1» удалён.</translation>
    </message>
    <message>
        <source>Show inactive</source>
        <translation>Показывать неактивные</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
</context>
<context>
    <name>SearchPopup</name>
    <message>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контактные лица</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>Сделки</translation>
    </message>
    <message>
        <source>Interactions</source>
        <translation>Взаимодействия</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Лиды</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Примечания</translation>
    </message>
    <message>
        <source>Nothing found. Try part of a name, a phone number or an email address.</source>
        <translation>Ничего не найдено. Попробуйте часть названия, номер телефона или адрес почты.</translation>
    </message>
    <message>
        <source>Search clients, leads, contacts and deals: name, phone, email</source>
        <translation>Поиск клиентов, лидов, контактных лиц и сделок: название, телефон, почта</translation>
    </message>
    <message>
        <source>Tax ID %1</source>
        <translation>ИНН %1</translation>
    </message>
    <message>
        <source>Type at least two letters or digits.</source>
        <translation>Введите хотя бы две буквы или цифры.</translation>
    </message>
    <message>
        <source>owner %1</source>
        <translation>отв. %1</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>AI drafting</source>
        <translation>Черновики с ИИ</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>Добавить ящик…</translation>
    </message>
    <message>
        <source>As on this computer (%1)</source>
        <translation>Как на этом компьютере (%1)</translation>
    </message>
    <message>
        <source>Back up the database</source>
        <translation>Резервная копия базы данных</translation>
    </message>
    <message>
        <source>Back up…</source>
        <translation>Сделать копию…</translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>Копия сохранена: %1</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <source>Deputies</source>
        <translation>Заместители</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Поля</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Interaction types</source>
        <translation>Типы взаимодействий</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Интерфейс</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Link earlier mail and calls every</source>
        <translation>Привязывать прежние письма и звонки каждые</translation>
    </message>
    <message>
        <source>Mail accounts</source>
        <translation>Почтовые ящики</translation>
    </message>
    <message>
        <source>New accounts check for mail every</source>
        <translation>Новые ящики проверяют почту каждые</translation>
    </message>
    <message>
        <source>No mailbox linked yet: link one with “Add account…” below.</source>
        <translation>Почтовые ящики не подключены: подключите ящик кнопкой «Добавить ящик…» ниже.</translation>
    </message>
    <message>
        <source>Only an administrator can change these.</source>
        <translation>Изменять эти настройки может только администратор.</translation>
    </message>
    <message>
        <source>Phone numbers without a country code are in</source>
        <translation>Номера без кода страны относятся к</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Воронки</translation>
    </message>
    <message>
        <source>Replace everything in Touchpoint with this backup? The current database is kept next to it, and Touchpoint should be restarted after.</source>
        <translation>Заменить все данные Touchpoint этой копией? Текущая база сохранится рядом, а Touchpoint после этого нужно перезапустить.</translation>
    </message>
    <message>
        <source>Restore the database</source>
        <translation>Восстановление базы данных</translation>
    </message>
    <message>
        <source>Restored. Restart Touchpoint; the previous database is kept as %1</source>
        <translation>Восстановлено. Перезапустите Touchpoint; прежняя база сохранена как %1</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Восстановить…</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Сохранить настройки</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>Сценарии</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Разделы настроек</translation>
    </message>
    <message>
        <source>Show times in the zone</source>
        <translation>Показывать время в часовом поясе</translation>
    </message>
    <message>
        <source>Softphone command</source>
        <translation>Команда софтфона</translation>
    </message>
    <message>
        <source>Sources &amp;&amp; rules</source>
        <translation>Источники и правила</translation>
    </message>
    <message>
        <source>Stored in</source>
        <translation>Расположение</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <source>The language changes after a restart.</source>
        <translation>Язык сменится после перезапуска.</translation>
    </message>
    <message>
        <source>Touchpoint database (*.sqlite3)</source>
        <translation>База данных Touchpoint (*.sqlite3)</translation>
    </message>
    <message>
        <source>Touchpoint database (*.sqlite3);;All files (*)</source>
        <translation>База данных Touchpoint (*.sqlite3);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>Working calendar</source>
        <translation>Производственный календарь</translation>
    </message>
    <message>
        <source>Working with clients</source>
        <translation>Работа с клиентами</translation>
    </message>
    <message>
        <source>empty: open tel: links with the system</source>
        <translation>пусто: ссылки tel: открывает система</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <source>A colleague to share this card with</source>
        <translation>Коллега, которому открыть карточку</translation>
    </message>
    <message>
        <source>Nobody yet: only the owner and their managers see it.</source>
        <translation>Пока никто: видят только ответственный и его руководители.</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Открыть доступ</translation>
    </message>
    <message>
        <source>Share client</source>
        <translation>Поделиться клиентом</translation>
    </message>
    <message>
        <source>Share lead</source>
        <translation>Поделиться лидом</translation>
    </message>
    <message>
        <source>Stop sharing</source>
        <translation>Закрыть доступ</translation>
    </message>
    <message>
        <source>The colleague no longer sees this card (Undo)</source>
        <translation>Коллега перестанет видеть карточку (можно отменить)</translation>
    </message>
    <message>
        <source>These colleagues see this card and everything on it as if it were theirs:</source>
        <translation>Эти коллеги видят карточку и всё, что в ней, как свою:</translation>
    </message>
    <message>
        <source>These colleagues see this lead and everything on it as if it were theirs:</source>
        <translation>Эти коллеги видят лид и всё, что в нём, как свой:</translation>
    </message>
</context>
<context>
    <name>SoftphoneDialog</name>
    <message>
        <source>Call %1</source>
        <translation>Позвонить: %1</translation>
    </message>
    <message>
        <source>Enter the command, with {number} where the number goes</source>
        <translation>Введите команду, с {number} на месте номера</translation>
    </message>
    <message>
        <source>No program on this computer opens phone links. Enter the command of your softphone to call from Touchpoint, or dial %1 by hand.</source>
        <translation>На этом компьютере нет программы, которая открывает телефонные ссылки. Укажите команду софтфона, чтобы звонить из Touchpoint, или наберите %1 вручную.</translation>
    </message>
    <message>
        <source>Save and call</source>
        <translation>Сохранить и позвонить</translation>
    </message>
    <message>
        <source>for example: linphone-cli -c &apos;call {number}&apos;</source>
        <translation>например: linphone-cli -c &apos;call {number}&apos;</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>A Telegram bot</source>
        <translation>Бот Telegram</translation>
    </message>
    <message>
        <source>A mailbox: its new mail becomes requests</source>
        <translation>Почтовый ящик: новые письма становятся обращениями</translation>
    </message>
    <message>
        <source>Bot API address</source>
        <translation>Адрес Bot API</translation>
    </message>
    <message>
        <source>Bot token</source>
        <translation>Токен бота</translation>
    </message>
    <message>
        <source>Check every</source>
        <translation>Проверять каждые</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <source>From @BotFather. Kept in the system keyring, checked with Telegram first.</source>
        <translation>Выдаёт @BotFather. Хранится в системном хранилище паролей и сначала проверяется в Telegram.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Mailbox</source>
        <translation>Почтовый ящик</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>New request source</source>
        <translation>Новый источник обращений</translation>
    </message>
    <message>
        <source>Process requests</source>
        <translation>Обрабатывать обращения</translation>
    </message>
    <message>
        <source>Telegram&apos;s own server, or a Bot API compatible server (a proxy)</source>
        <translation>Сервер самого Telegram или совместимый с Bot API сервер (прокси)</translation>
    </message>
    <message>
        <source>Web forms: a mailbox folder the site&apos;s form mailer writes to</source>
        <translation>Веб-формы: папка ящика, куда сайт присылает заявки</translation>
    </message>
    <message>
        <source>as the form&apos;s letters label it</source>
        <translation>как поле подписано в письмах формы</translation>
    </message>
    <message>
        <source>“Email” field</source>
        <translation>Поле «Эл. почта»</translation>
    </message>
    <message>
        <source>“Message” field</source>
        <translation>Поле «Сообщение»</translation>
    </message>
    <message>
        <source>“Name” field</source>
        <translation>Поле «Имя»</translation>
    </message>
    <message>
        <source>“Phone” field</source>
        <translation>Поле «Телефон»</translation>
    </message>
</context>
<context>
    <name>StageColumn</name>
    <message>
        <source>%1 shown</source>
        <translation>показано %1</translation>
    </message>
    <message numerus="yes">
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n сделка</numerusform>
            <numerusform>%n сделки</numerusform>
            <numerusform>%n сделок</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Stages</name>
    <message>
        <source>Lost</source>
        <translation>Провал</translation>
    </message>
    <message>
        <source>Negotiation</source>
        <translation>Переговоры</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>Qualification</source>
        <translation>Квалификация</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>Успешно</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Database: %1</source>
        <translation>База данных: %1</translation>
    </message>
    <message>
        <source>Mail offline</source>
        <translation>Почта без связи</translation>
    </message>
    <message numerus="yes">
        <source>Mail offline — %n letter(s) wait in the outbox</source>
        <translation>
            <numerusform>Почта без связи — %n письмо ждёт в исходящих</numerusform>
            <numerusform>Почта без связи — %n письма ждут в исходящих</numerusform>
            <numerusform>Почта без связи — %n писем ждут в исходящих</numerusform>
        </translation>
    </message>
    <message>
        <source>Mail sync failed</source>
        <translation>Ошибка синхронизации почты</translation>
    </message>
    <message>
        <source>Mail synced at %1</source>
        <translation>Почта синхронизирована в %1</translation>
    </message>
    <message>
        <source>Mail: no sync yet</source>
        <translation>Почта: синхронизации ещё не было</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет сети</translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n letter(s) wait in the outbox</source>
        <translation>
            <numerusform>Нет сети — %n письмо ждёт в исходящих</numerusform>
            <numerusform>Нет сети — %n письма ждут в исходящих</numerusform>
            <numerusform>Нет сети — %n писем ждут в исходящих</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing %1: %2 of %3</source>
        <translation>Синхронизация %1: %2 из %3</translation>
    </message>
    <message>
        <source>The AI draft for %1 is ready: write a letter to the client to use it</source>
        <translation>Черновик ИИ для «%1» готов: напишите письмо клиенту, чтобы его использовать</translation>
    </message>
</context>
<context>
    <name>StepForm</name>
    <message>
        <source> (AI)</source>
        <translation> (ИИ)</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> раб. дн.</translation>
    </message>
    <message>
        <source>As the scenario says</source>
        <translation>Как в сценарии</translation>
    </message>
    <message>
        <source>None: the text below</source>
        <translation>Нет: текст ниже</translation>
    </message>
    <message>
        <source>Only a letter can be sent by itself.</source>
        <translation>Автоматически отправить можно только письмо.</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Send by itself when due</source>
        <translation>Отправить автоматически в срок</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Шаблон</translation>
    </message>
    <message>
        <source>Text or prompt</source>
        <translation>Текст или промпт</translation>
    </message>
    <message>
        <source>The client&apos;s owner</source>
        <translation>Ответственный за клиента</translation>
    </message>
    <message>
        <source>The text, or with AI the prompt; variables such as {{ contact.first_name }}</source>
        <translation>Текст, а с ИИ — промпт; переменные вида {{ contact.first_name }}</translation>
    </message>
    <message>
        <source>The time of day in the client&apos;s time zone</source>
        <translation>Время дня в часовом поясе клиента</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Wait, then at</source>
        <translation>Через, в</translation>
    </message>
    <message>
        <source>Who starts the scenario</source>
        <translation>Кто запускает сценарий</translation>
    </message>
    <message>
        <source>Written by AI</source>
        <translation>Генерируется ИИ</translation>
    </message>
    <message>
        <source>counted from the previous step</source>
        <translation>считается от предыдущего шага</translation>
    </message>
    <message>
        <source>counted from the start of the scenario</source>
        <translation>считается от запуска сценария</translation>
    </message>
    <message>
        <source>e.g. Proposal for {{ client.name }}</source>
        <translation>например, Предложение для {{ client.name }}</translation>
    </message>
</context>
<context>
    <name>SyncConflicts</name>
    <message>
        <source>(empty)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact details</source>
        <translation>Контакт</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Contact person of an interaction</source>
        <translation>Контактное лицо взаимодействия</translation>
    </message>
    <message>
        <source>Custom field</source>
        <translation>Дополнительное поле</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>Deputy</source>
        <translation>Заместитель</translation>
    </message>
    <message>
        <source>Interaction</source>
        <translation>Взаимодействие</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Лид</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>Памятка</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Share with a colleague</source>
        <translation>Общий доступ коллеге</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Шаблон</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>в архиве</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>комментарий</translation>
    </message>
    <message>
        <source>currency</source>
        <translation>валюта</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>удалено</translation>
    </message>
    <message>
        <source>due time</source>
        <translation>срок</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>результат</translation>
    </message>
    <message>
        <source>planned time</source>
        <translation>запланированное время</translation>
    </message>
    <message>
        <source>responsible</source>
        <translation>ответственный</translation>
    </message>
    <message>
        <source>stage</source>
        <translation>этап</translation>
    </message>
    <message>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <source>subject</source>
        <translation>тема</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>type</source>
        <translation>тип</translation>
    </message>
    <message>
        <source>value</source>
        <translation>значение</translation>
    </message>
</context>
<context>
    <name>SyncConflictsDialog</name>
    <message>
        <source>%1: %2 — %3</source>
        <translation>%1: %2 — %3</translation>
    </message>
    <message>
        <source>Both sides changed these fields</source>
        <translation>Эти поля изменили обе стороны</translation>
    </message>
    <message>
        <source>Every change made on this laptop agrees with the server. A conflict appears here when you and a colleague change the same field of a card before this laptop syncs; you then choose which value stays.</source>
        <translation>Все изменения на этом ноутбуке согласуются с сервером. Конфликт появляется здесь, когда вы и коллега меняете одно и то же поле карточки до синхронизации ноутбука; тогда вы выбираете, какое значение останется.</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>Конфликтов нет</translation>
    </message>
    <message>
        <source>Reading the conflicts…</source>
        <translation>Читаем конфликты…</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Отклонено сервером</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохраняем…</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>Конфликты синхронизации</translation>
    </message>
    <message>
        <source>These changes were not made: the server keeps its values, and this laptop takes them back when it syncs. Make a change again on its card if it is still needed.</source>
        <translation>Эти изменения не внесены: на сервере остались его значения, и ноутбук вернёт их при синхронизации. Если изменение ещё нужно, внесите его снова в карточке.</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n конфликт</numerusform>
            <numerusform>%n конфликта</numerusform>
            <numerusform>%n конфликтов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n изменение не отправлено</numerusform>
            <numerusform>%n изменения не отправлены</numerusform>
            <numerusform>%n изменений не отправлено</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n изменение отклонено</numerusform>
            <numerusform>%n изменения отклонены</numerusform>
            <numerusform>%n изменений отклонено</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking the server…</source>
        <translation>Проверяем сервер…</translation>
    </message>
    <message>
        <source>Click or press %1 for the conflicts and refused changes</source>
        <translation>Щёлкните или нажмите %1, чтобы увидеть конфликты и отклонённые изменения</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Последняя синхронизация: %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message>
        <source>Offline since %1</source>
        <translation>Нет связи с %1</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Send this laptop&apos;s changes and fetch the team&apos;s (%1)</source>
        <translation>Отправить изменения с этого ноутбука и получить изменения команды (%1)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Синхронизация…</translation>
    </message>
    <message>
        <source>The last sync failed: %1</source>
        <translation>Последняя синхронизация не удалась: %1</translation>
    </message>
    <message>
        <source>This laptop has not synced with the server yet</source>
        <translation>Этот ноутбук ещё не синхронизировался с сервером</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>ещё не синхронизировано</translation>
    </message>
    <message>
        <source>synced %1</source>
        <translation>синхронизировано %1</translation>
    </message>
    <message numerus="yes">
        <source>synced %n min ago</source>
        <translation>
            <numerusform>синхронизировано %n мин назад</numerusform>
            <numerusform>синхронизировано %n мин назад</numerusform>
            <numerusform>синхронизировано %n мин назад</numerusform>
        </translation>
    </message>
    <message>
        <source>synced just now</source>
        <translation>синхронизировано только что</translation>
    </message>
</context>
<context>
    <name>TaskActions</name>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove task</source>
        <translation>Удаление задачи</translation>
    </message>
    <message>
        <source>Remove the task %1? It is deleted for everyone.</source>
        <translation>Удалить задачу %1? Она удалится у всех.</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>Assignee</source>
        <translation>Исполнитель</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Edit task</source>
        <translation>Изменение задачи</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>Без срока</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>What needs doing</source>
        <translation>Что нужно сделать</translation>
    </message>
</context>
<context>
    <name>TemplateForm</name>
    <message>
        <source>AI</source>
        <translation>ИИ</translation>
    </message>
    <message>
        <source>AI generation</source>
        <translation>Генерация с ИИ</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Контактное лицо</translation>
    </message>
    <message>
        <source>Create one: a template fills in the client&apos;s name, the contact, the deal and dates, or tells the AI what letter to write.</source>
        <translation>Создайте шаблон: он подставит название клиента, контактное лицо, сделку и даты или объяснит ИИ, какое письмо написать.</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Даты</translation>
    </message>
    <message>
        <source>Deactivate…</source>
        <translation>Отключить…</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Сделка</translation>
    </message>
    <message>
        <source>From the client (sent to the AI as data)</source>
        <translation>От клиента (передаётся ИИ как данные)</translation>
    </message>
    <message>
        <source>Hide it from the templates to apply; it stays for the record</source>
        <translation>Убрать из списка шаблонов для писем; сам шаблон сохраняется</translation>
    </message>
    <message>
        <source>Insert variable</source>
        <translation>Вставить переменную</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Новый шаблон</translation>
    </message>
    <message>
        <source>New template (Ctrl+N)</source>
        <translation>Новый шаблон (Ctrl+N)</translation>
    </message>
    <message>
        <source>No templates yet</source>
        <translation>Шаблонов пока нет</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Запрос</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Включить снова</translation>
    </message>
    <message>
        <source>Responsible manager</source>
        <translation>Ответственный менеджер</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save the template (Ctrl+S)</source>
        <translation>Сохранить шаблон (Ctrl+S)</translation>
    </message>
    <message>
        <source>Show deactivated</source>
        <translation>Показывать отключённые</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>The subject and the body are the letter, with the variables filled in.</source>
        <translation>Тема и текст — это само письмо, переменные подставляются.</translation>
    </message>
    <message>
        <source>With AI the body is the prompt the AI receives: say what letter to write. The subject is filled in as usual; the client&apos;s letter goes to the AI as data, never as instructions.</source>
        <translation>С ИИ текст шаблона — это запрос, который получает ИИ: опишите, какое письмо написать. Тема заполняется как обычно; письмо клиента передаётся ИИ как данные, а не как указания.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <source>e.g. Answer {{ contact.name_patronymic }} politely, confirm the delivery date and offer a call: {{ inbound.last_email }}</source>
        <translation>например, Вежливо ответь {{ contact.name_patronymic }}, подтверди дату поставки и предложи созвониться: {{ inbound.last_email }}</translation>
    </message>
    <message>
        <source>e.g. Good afternoon, {{ contact.name_patronymic }}!</source>
        <translation>например, Добрый день, {{ contact.name_patronymic }}!</translation>
    </message>
    <message>
        <source>e.g. Offer for {{ client.name }}</source>
        <translation>например, Предложение для {{ client.name }}</translation>
    </message>
    <message>
        <source>e.g. Reply to a price request</source>
        <translation>например, Ответ на запрос цены</translation>
    </message>
    <message>
        <source>goes in at the cursor of the subject or the body</source>
        <translation>вставляется в позицию курсора в теме или тексте</translation>
    </message>
</context>
<context>
    <name>TemplatePanel</name>
    <message>
        <source>%1 · AI</source>
        <translation>%1 · ИИ</translation>
    </message>
    <message numerus="yes">
        <source>%n AI draft(s) for this client wait for the AI server</source>
        <translation>
            <numerusform>%n черновик ИИ для этого клиента ждёт сервер ИИ</numerusform>
            <numerusform>%n черновика ИИ для этого клиента ждут сервер ИИ</numerusform>
            <numerusform>%n черновиков ИИ для этого клиента ждут сервер ИИ</numerusform>
        </translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>AI drafting needs the running app; try again</source>
        <translation>Генерации ИИ нужно запущенное приложение; попробуйте ещё раз</translation>
    </message>
    <message>
        <source>An AI draft written while you were away is ready: %1</source>
        <translation>Готов черновик ИИ, написанный в ваше отсутствие: %1</translation>
    </message>
    <message>
        <source>Choose the contact person and the deal: the template needs both</source>
        <translation>Выберите контактное лицо и сделку: шаблону нужны оба</translation>
    </message>
    <message>
        <source>Contact person…</source>
        <translation>Контактное лицо…</translation>
    </message>
    <message>
        <source>Deal…</source>
        <translation>Сделка…</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Done. Read the draft and edit it before you send it</source>
        <translation>Готово. Прочитайте и отредактируйте черновик перед отправкой</translation>
    </message>
    <message>
        <source>Edit the prompt if you like, then press Generate</source>
        <translation>При желании отредактируйте промпт и нажмите «Сгенерировать»</translation>
    </message>
    <message>
        <source>Filled from the template. Ctrl+Z in a field undoes it</source>
        <translation>Заполнено по шаблону. Ctrl+Z в поле отменяет</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Сгенерировать</translation>
    </message>
    <message>
        <source>No template</source>
        <translation>Без шаблона</translation>
    </message>
    <message>
        <source>No templates yet: add them in Settings</source>
        <translation>Шаблонов пока нет: добавьте их в настройках</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Подготовка…</translation>
    </message>
    <message>
        <source>Prompt for the AI: edit it, then generate</source>
        <translation>Промпт для ИИ: отредактируйте его и сгенерируйте письмо</translation>
    </message>
    <message>
        <source>Queue the generation</source>
        <translation>Поставить генерацию в очередь</translation>
    </message>
    <message>
        <source>Queued. Touchpoint writes the draft when the AI server answers; a new letter to this client will offer it</source>
        <translation>В очереди. Touchpoint напишет черновик, когда сервер ИИ ответит; новое письмо этому клиенту предложит его</translation>
    </message>
    <message>
        <source>Read the draft and edit it before you send it</source>
        <translation>Прочитайте и отредактируйте черновик перед отправкой</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Перегенерировать</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <source>Stopped. Edit the draft, or regenerate</source>
        <translation>Остановлено. Отредактируйте черновик или перегенерируйте</translation>
    </message>
    <message>
        <source>Templates are for letters to a client&apos;s contact person</source>
        <translation>Шаблоны — для писем контактному лицу клиента</translation>
    </message>
    <message>
        <source>This client has no deal yet: add one on the card to use templates</source>
        <translation>У клиента ещё нет сделки: добавьте её в карточке, чтобы применять шаблоны</translation>
    </message>
    <message>
        <source>Use it</source>
        <translation>Использовать</translation>
    </message>
    <message>
        <source>What is sent…</source>
        <translation>Что отправляется…</translation>
    </message>
    <message>
        <source>What the AI should write</source>
        <translation>О чём ИИ должен написать</translation>
    </message>
    <message>
        <source>Write the letter from this prompt (Ctrl+G)</source>
        <translation>Написать письмо по этому промпту (Ctrl+G)</translation>
    </message>
    <message>
        <source>Writing… Stop keeps what is written so far</source>
        <translation>Пишу… «Остановить» сохранит уже написанное</translation>
    </message>
</context>
<context>
    <name>TemplateSaving</name>
    <message>
        <source>Deactivate</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Deactivate the template</source>
        <translation>Отключить шаблон</translation>
    </message>
    <message>
        <source>Deactivate the template %1? It is no longer offered when writing a letter; it stays for the record and can be reactivated under Show deactivated.</source>
        <translation>Отключить шаблон «%1»? Он больше не будет предлагаться при написании писем; шаблон сохранится, и его можно включить снова через «Показывать отключённые».</translation>
    </message>
    <message>
        <source>Deactivated %1.</source>
        <translation>Шаблон «%1» отключён.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Reactivated.</source>
        <translation>Шаблон снова включён.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Your changes were not saved; the editor now shows the saved version.</source>
        <translation>Ваши изменения не сохранены; в редакторе теперь сохранённая версия.</translation>
    </message>
    <message>
        <source>Your unsaved changes to it are discarded.</source>
        <translation>Несохранённые изменения в нём будут потеряны.</translation>
    </message>
</context>
<context>
    <name>TemplatesPage</name>
    <message>
        <source>AI template: the body is the prompt</source>
        <translation>Шаблон с ИИ: текст — это запрос к ИИ</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Отключён</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Новый шаблон</translation>
    </message>
    <message>
        <source>Save the changes to %1 first?</source>
        <translation>Сначала сохранить изменения в «%1»?</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>Written by %1</source>
        <translation>Автор: %1</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>автор: %1</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>отключён</translation>
    </message>
    <message>
        <source>the new template</source>
        <translation>новый шаблон</translation>
    </message>
</context>
<context>
    <name>TicketCard</name>
    <message>
        <source>%1 · request from %2: %3</source>
        <translation>%1 · обращение от %2: %3</translation>
    </message>
    <message>
        <source>%1 · ticket closed</source>
        <translation>%1 · обращение в поддержку закрыто</translation>
    </message>
    <message>
        <source>%1 · ticket opened</source>
        <translation>%1 · обращение в поддержку открыто</translation>
    </message>
    <message>
        <source>Choose a ticket in the list to see it here.</source>
        <translation>Выберите обращение в поддержку в списке, чтобы увидеть его здесь.</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Лента</translation>
    </message>
    <message>
        <source>No ticket selected</source>
        <translation>Обращение в поддержку не выбрано</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Открыто</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>This ticket cannot be shown</source>
        <translation>Это обращение в поддержку нельзя показать</translation>
    </message>
</context>
<context>
    <name>TicketsPanel</name>
    <message>
        <source>A rule that opens support tickets puts them here.</source>
        <translation>Сюда попадают обращения в поддержку, созданные правилами.</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Все</translation>
    </message>
    <message>
        <source>No support tickets</source>
        <translation>Нет обращений в поддержку</translation>
    </message>
    <message>
        <source>Not closed</source>
        <translation>Незакрытые</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Номер</translation>
    </message>
</context>
<context>
    <name>TicketsTab</name>
    <message>
        <source>No support tickets</source>
        <translation>Нет обращений в поддержку</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Support tickets opened from this client&apos;s requests appear here.</source>
        <translation>Здесь появляются обращения в поддержку, открытые по обращениям этого клиента.</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Номер</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n день назад</numerusform>
            <numerusform>%n дня назад</numerusform>
            <numerusform>%n дней назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>%n месяц назад</numerusform>
            <numerusform>%n месяца назад</numerusform>
            <numerusform>%n месяцев назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s) ago</source>
        <translation>
            <numerusform>%n неделю назад</numerusform>
            <numerusform>%n недели назад</numerusform>
            <numerusform>%n недель назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>%n год назад</numerusform>
            <numerusform>%n года назад</numerusform>
            <numerusform>%n лет назад</numerusform>
        </translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Завтра</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>через %n день</numerusform>
            <numerusform>через %n дня</numerusform>
            <numerusform>через %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>завтра</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>вчера</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <source>Asking Telegram…</source>
        <translation>Спрашиваем Telegram…</translation>
    </message>
    <message>
        <source>Bot token</source>
        <translation>Токен бота</translation>
    </message>
    <message>
        <source>From @BotFather. Kept in the system keyring, checked with Telegram first.</source>
        <translation>Выдаёт @BotFather. Хранится в системном хранилище паролей и сначала проверяется в Telegram.</translation>
    </message>
    <message>
        <source>Telegram bot token</source>
        <translation>Токен бота Telegram</translation>
    </message>
</context>
<context>
    <name>TypeNamesDialog</name>
    <message>
        <source>Name in English</source>
        <translation>Название на английском</translation>
    </message>
    <message>
        <source>Name in Russian</source>
        <translation>Название на русском</translation>
    </message>
</context>
<context>
    <name>TypesPage</name>
    <message>
        <source>%1 (hidden)</source>
        <translation>%1 (скрыт)</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Добавить…</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>New interaction type</source>
        <translation>Новый тип взаимодействия</translation>
    </message>
    <message>
        <source>Rename the type</source>
        <translation>Переименовать тип</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
</context>
<context>
    <name>UnlinkedModel</name>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>From / to</source>
        <translation>От кого / кому</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Taken off a card by hand: the linking job leaves it here</source>
        <translation>Отвязано от карточки вручную: задание привязки его не трогает</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>Кому: %1</translation>
    </message>
</context>
<context>
    <name>UnlinkedPanel</name>
    <message>
        <source>%1 saved on %2; its earlier letters are being linked</source>
        <translation>%1 сохранён в карточке «%2»; прежние письма привязываются</translation>
    </message>
    <message>
        <source>%1 will not be offered again</source>
        <translation>%1 больше не будет предлагаться</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Could not load the unlinked letters</source>
        <translation>Не удалось загрузить непривязанные письма</translation>
    </message>
    <message>
        <source>Later letters from this address then go to this card by themselves, and its earlier letters are linked now.</source>
        <translation>Новые письма с этого адреса будут сами попадать в эту карточку, а прежние привяжутся сейчас.</translation>
    </message>
    <message>
        <source>Letters from addresses that are on no card. Link one to a client, contact person or lead, and Touchpoint offers to save the address there.</source>
        <translation>Письма с адресов, которых нет ни в одной карточке. Привяжите письмо к клиенту, контактному лицу или лиду — Touchpoint предложит сохранить адрес в карточке.</translation>
    </message>
    <message>
        <source>Link the letter %1 from %2 to:</source>
        <translation>Привязать письмо %1 от %2 к:</translation>
    </message>
    <message>
        <source>Link the letter %1 to %2 to:</source>
        <translation>Привязать письмо %1 для %2 к:</translation>
    </message>
    <message>
        <source>Link the selected letter to a client, contact person or lead</source>
        <translation>Привязать выбранное письмо к клиенту, контактному лицу или лиду</translation>
    </message>
    <message>
        <source>Link to…</source>
        <translation>Привязать к…</translation>
    </message>
    <message>
        <source>Mail sync keeps the headers of letters from addresses that are on no card; they wait here. Add an address to a card, or link a letter here by hand, and its letters move to that card&apos;s feed.</source>
        <translation>Синхронизация почты сохраняет заголовки писем с адресов, которых нет ни в одной карточке; они ждут здесь. Добавьте адрес в карточку или привяжите письмо вручную — и письма переместятся в ленту этой карточки.</translation>
    </message>
    <message>
        <source>Never for this address</source>
        <translation>Никогда для этого адреса</translation>
    </message>
    <message>
        <source>No unlinked letters</source>
        <translation>Непривязанных писем нет</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Не сейчас</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Read the list again</source>
        <translation>Прочитать список заново</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Save %1 on %2 %3?</source>
        <translation>Сохранить %1 в карточке %3 (%2)?</translation>
    </message>
    <message>
        <source>Save address</source>
        <translation>Сохранить адрес</translation>
    </message>
    <message>
        <source>Save the address?</source>
        <translation>Сохранить адрес?</translation>
    </message>
    <message>
        <source>Show what is known of the selected letter</source>
        <translation>Показать, что известно о выбранном письме</translation>
    </message>
    <message>
        <source>The letter is now in the feed of %1</source>
        <translation>Письмо теперь в ленте: %1</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Activate</source>
        <translation>Включить</translation>
    </message>
    <message>
        <source>Add a colleague…</source>
        <translation>Добавить коллегу…</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Choose a colleague</source>
        <translation>Выберите сотрудника</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Deactivate %1? They are no longer offered in pickers; their clients, deals and history stay. You can activate them again.</source>
        <translation>Отключить: %1? Коллега больше не появится в списках выбора; клиенты, сделки и история остаются. Включить можно снова.</translation>
    </message>
    <message>
        <source>Deactivate colleague</source>
        <translation>Отключение коллеги</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>The chosen colleague&apos;s role</source>
        <translation>Роль выбранного коллеги</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>отключён</translation>
    </message>
</context>
<context>
    <name>WhenDialog</name>
    <message>
        <source>In 3 days</source>
        <translation>Через 3 дня</translation>
    </message>
    <message>
        <source>In an hour</source>
        <translation>Через час</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>На следующей неделе</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Завтра</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
</context>
<context>
    <name>WhyBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Unlink from this card…</source>
        <translation>Отвязать от этой карточки…</translation>
    </message>
</context>
<context>
    <name>Zones</name>
    <message>
        <source>Almaty</source>
        <translation>Алматы</translation>
    </message>
    <message>
        <source>Anadyr</source>
        <translation>Анадырь</translation>
    </message>
    <message>
        <source>Aqtau</source>
        <translation>Актау</translation>
    </message>
    <message>
        <source>Aqtobe</source>
        <translation>Актобе</translation>
    </message>
    <message>
        <source>Ashgabat</source>
        <translation>Ашхабад</translation>
    </message>
    <message>
        <source>Astrakhan</source>
        <translation>Астрахань</translation>
    </message>
    <message>
        <source>Athens</source>
        <translation>Афины</translation>
    </message>
    <message>
        <source>Atyrau</source>
        <translation>Атырау</translation>
    </message>
    <message>
        <source>Auckland</source>
        <translation>Окленд</translation>
    </message>
    <message>
        <source>Baku</source>
        <translation>Баку</translation>
    </message>
    <message>
        <source>Bangkok</source>
        <translation>Бангкок</translation>
    </message>
    <message>
        <source>Barnaul</source>
        <translation>Барнаул</translation>
    </message>
    <message>
        <source>Belgrade</source>
        <translation>Белград</translation>
    </message>
    <message>
        <source>Berlin</source>
        <translation>Берлин</translation>
    </message>
    <message>
        <source>Bishkek</source>
        <translation>Бишкек</translation>
    </message>
    <message>
        <source>Bucharest</source>
        <translation>Бухарест</translation>
    </message>
    <message>
        <source>Budapest</source>
        <translation>Будапешт</translation>
    </message>
    <message>
        <source>Buenos Aires</source>
        <translation>Буэнос-Айрес</translation>
    </message>
    <message>
        <source>Cairo</source>
        <translation>Каир</translation>
    </message>
    <message>
        <source>Chicago</source>
        <translation>Чикаго</translation>
    </message>
    <message>
        <source>Chisinau</source>
        <translation>Кишинёв</translation>
    </message>
    <message>
        <source>Chita</source>
        <translation>Чита</translation>
    </message>
    <message>
        <source>Denver</source>
        <translation>Денвер</translation>
    </message>
    <message>
        <source>Dubai</source>
        <translation>Дубай</translation>
    </message>
    <message>
        <source>Dushanbe</source>
        <translation>Душанбе</translation>
    </message>
    <message>
        <source>Guayaquil</source>
        <translation>Гуаякиль</translation>
    </message>
    <message>
        <source>Hebron</source>
        <translation>Хеврон</translation>
    </message>
    <message>
        <source>Helsinki</source>
        <translation>Хельсинки</translation>
    </message>
    <message>
        <source>Hong Kong</source>
        <translation>Гонконг</translation>
    </message>
    <message>
        <source>Irkutsk</source>
        <translation>Иркутск</translation>
    </message>
    <message>
        <source>Istanbul</source>
        <translation>Стамбул</translation>
    </message>
    <message>
        <source>Jakarta</source>
        <translation>Джакарта</translation>
    </message>
    <message>
        <source>Jerusalem</source>
        <translation>Иерусалим</translation>
    </message>
    <message>
        <source>Johannesburg</source>
        <translation>Йоханнесбург</translation>
    </message>
    <message>
        <source>Kaliningrad</source>
        <translation>Калининград</translation>
    </message>
    <message>
        <source>Kamchatka</source>
        <translation>Камчатка</translation>
    </message>
    <message>
        <source>Khandyga</source>
        <translation>Хандыга</translation>
    </message>
    <message>
        <source>Kinshasa</source>
        <translation>Киншаса</translation>
    </message>
    <message>
        <source>Kirov</source>
        <translation>Киров</translation>
    </message>
    <message>
        <source>Kolkata</source>
        <translation>Калькутта</translation>
    </message>
    <message>
        <source>Krasnoyarsk</source>
        <translation>Красноярск</translation>
    </message>
    <message>
        <source>Kuala Lumpur</source>
        <translation>Куала-Лумпур</translation>
    </message>
    <message>
        <source>Kyiv</source>
        <translation>Киев</translation>
    </message>
    <message>
        <source>Lisbon</source>
        <translation>Лиссабон</translation>
    </message>
    <message>
        <source>London</source>
        <translation>Лондон</translation>
    </message>
    <message>
        <source>Los Angeles</source>
        <translation>Лос-Анджелес</translation>
    </message>
    <message>
        <source>Madrid</source>
        <translation>Мадрид</translation>
    </message>
    <message>
        <source>Magadan</source>
        <translation>Магадан</translation>
    </message>
    <message>
        <source>Majuro</source>
        <translation>Маджуро</translation>
    </message>
    <message>
        <source>Mexico City</source>
        <translation>Мехико</translation>
    </message>
    <message>
        <source>Minsk</source>
        <translation>Минск</translation>
    </message>
    <message>
        <source>Moscow</source>
        <translation>Москва</translation>
    </message>
    <message>
        <source>New York</source>
        <translation>Нью-Йорк</translation>
    </message>
    <message>
        <source>Nicosia</source>
        <translation>Никосия</translation>
    </message>
    <message>
        <source>Novokuznetsk</source>
        <translation>Новокузнецк</translation>
    </message>
    <message>
        <source>Novosibirsk</source>
        <translation>Новосибирск</translation>
    </message>
    <message>
        <source>Nuuk</source>
        <translation>Нуук</translation>
    </message>
    <message>
        <source>Omsk</source>
        <translation>Омск</translation>
    </message>
    <message>
        <source>Oral</source>
        <translation>Уральск</translation>
    </message>
    <message>
        <source>Paris</source>
        <translation>Париж</translation>
    </message>
    <message>
        <source>Pohnpei</source>
        <translation>Понпеи</translation>
    </message>
    <message>
        <source>Port Moresby</source>
        <translation>Порт-Морсби</translation>
    </message>
    <message>
        <source>Prague</source>
        <translation>Прага</translation>
    </message>
    <message>
        <source>Qostanay</source>
        <translation>Костанай</translation>
    </message>
    <message>
        <source>Qyzylorda</source>
        <translation>Кызылорда</translation>
    </message>
    <message>
        <source>Riga</source>
        <translation>Рига</translation>
    </message>
    <message>
        <source>Rome</source>
        <translation>Рим</translation>
    </message>
    <message>
        <source>Sakhalin</source>
        <translation>Сахалин</translation>
    </message>
    <message>
        <source>Samara</source>
        <translation>Самара</translation>
    </message>
    <message>
        <source>Samarkand</source>
        <translation>Самарканд</translation>
    </message>
    <message>
        <source>Santiago</source>
        <translation>Сантьяго</translation>
    </message>
    <message>
        <source>Sao Paulo</source>
        <translation>Сан-Паулу</translation>
    </message>
    <message>
        <source>Saratov</source>
        <translation>Саратов</translation>
    </message>
    <message>
        <source>Seoul</source>
        <translation>Сеул</translation>
    </message>
    <message>
        <source>Shanghai</source>
        <translation>Шанхай</translation>
    </message>
    <message>
        <source>Simferopol</source>
        <translation>Симферополь</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>Сингапур</translation>
    </message>
    <message>
        <source>Sofia</source>
        <translation>София</translation>
    </message>
    <message>
        <source>Srednekolymsk</source>
        <translation>Среднеколымск</translation>
    </message>
    <message>
        <source>Sydney</source>
        <translation>Сидней</translation>
    </message>
    <message>
        <source>Tahiti</source>
        <translation>Таити</translation>
    </message>
    <message>
        <source>Tallinn</source>
        <translation>Таллин</translation>
    </message>
    <message>
        <source>Tarawa</source>
        <translation>Тарава</translation>
    </message>
    <message>
        <source>Tashkent</source>
        <translation>Ташкент</translation>
    </message>
    <message>
        <source>Tbilisi</source>
        <translation>Тбилиси</translation>
    </message>
    <message>
        <source>Tehran</source>
        <translation>Тегеран</translation>
    </message>
    <message>
        <source>Tokyo</source>
        <translation>Токио</translation>
    </message>
    <message>
        <source>Tomsk</source>
        <translation>Томск</translation>
    </message>
    <message>
        <source>Toronto</source>
        <translation>Торонто</translation>
    </message>
    <message>
        <source>Ulaanbaatar</source>
        <translation>Улан-Батор</translation>
    </message>
    <message>
        <source>Ulyanovsk</source>
        <translation>Ульяновск</translation>
    </message>
    <message>
        <source>Ust-Nera</source>
        <translation>Усть-Нера</translation>
    </message>
    <message>
        <source>Vienna</source>
        <translation>Вена</translation>
    </message>
    <message>
        <source>Vilnius</source>
        <translation>Вильнюс</translation>
    </message>
    <message>
        <source>Vladivostok</source>
        <translation>Владивосток</translation>
    </message>
    <message>
        <source>Volgograd</source>
        <translation>Волгоград</translation>
    </message>
    <message>
        <source>Warsaw</source>
        <translation>Варшава</translation>
    </message>
    <message>
        <source>Yakutsk</source>
        <translation>Якутск</translation>
    </message>
    <message>
        <source>Yekaterinburg</source>
        <translation>Екатеринбург</translation>
    </message>
    <message>
        <source>Yerevan</source>
        <translation>Ереван</translation>
    </message>
</context>
<context>
    <name>_Server</name>
    <message>
        <source>None — password readable on the network</source>
        <translation>Нет — пароль виден в сети</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation>SSL/TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Шифрование</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
</context>
<context>
    <name>find_key</name>
    <message>
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
</context>
</TS>
