<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BoardPanel</name>
    <message numerus="yes">
        <source>%n open deal(s)</source>
        <translation>
            <numerusform>%n open deal</numerusform>
            <numerusform>%n open deals</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConflictBanner</name>
    <message numerus="yes">
        <source>%n field(s) conflict after sync</source>
        <translation>
            <numerusform>%n field conflicts after sync</numerusform>
            <numerusform>%n fields conflict after sync</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FeedFilterBar</name>
    <message numerus="yes">
        <source>%n type(s)</source>
        <translation>
            <numerusform>%n type</numerusform>
            <numerusform>%n types</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact person(s)</source>
        <translation>
            <numerusform>%n contact person</numerusform>
            <numerusform>%n contact persons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lead(s)</source>
        <translation>
            <numerusform>%n lead</numerusform>
            <numerusform>%n leads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MailPanel</name>
    <message numerus="yes">
        <source>%n letter(s) wait in the outbox and go out then.</source>
        <translation>
            <numerusform>%n letter waits in the outbox and goes out then.</numerusform>
            <numerusform>%n letters wait in the outbox and go out then.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Every minute</numerusform>
            <numerusform>Every %n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PipelinesPage</name>
    <message numerus="yes">
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n deal</numerusform>
            <numerusform>%n deals</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deal(s) are in this stage; move them first</source>
        <translation>
            <numerusform>%n deal is in this stage; move it first</numerusform>
            <numerusform>%n deals are in this stage; move them first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReplicaSection</name>
    <message numerus="yes">
        <source>%n change(s) not yet synced.</source>
        <translation>
            <numerusform>%n change not yet synced.</numerusform>
            <numerusform>%n changes not yet synced.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) on this laptop have not reached the server yet.</source>
        <translation>
            <numerusform>%n change on this laptop has not reached the server yet.</numerusform>
            <numerusform>%n changes on this laptop have not reached the server yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) refused by the server.</source>
        <translation>
            <numerusform>%n change refused by the server.</numerusform>
            <numerusform>%n changes refused by the server.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to review.</source>
        <translation>
            <numerusform>%n conflict to review.</numerusform>
            <numerusform>%n conflicts to review.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StageColumn</name>
    <message numerus="yes">
        <source>%n deal(s)</source>
        <translation>
            <numerusform>%n deal</numerusform>
            <numerusform>%n deals</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message numerus="yes">
        <source>Mail offline — %n letter(s) wait in the outbox</source>
        <translation>
            <numerusform>Mail offline — %n letter waits in the outbox</numerusform>
            <numerusform>Mail offline — %n letters wait in the outbox</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n letter(s) wait in the outbox</source>
        <translation>
            <numerusform>Offline — %n letter waits in the outbox</numerusform>
            <numerusform>Offline — %n letters wait in the outbox</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n refused</numerusform>
            <numerusform>%n refused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>synced %n min ago</source>
        <translation>
            <numerusform>synced %n min ago</numerusform>
            <numerusform>synced %n min ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TemplatePanel</name>
    <message numerus="yes">
        <source>%n AI draft(s) for this client wait for the AI server</source>
        <translation>
            <numerusform>%n AI draft for this client waits for the AI server</numerusform>
            <numerusform>%n AI drafts for this client wait for the AI server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>%n month ago</numerusform>
            <numerusform>%n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s) ago</source>
        <translation>
            <numerusform>%n week ago</numerusform>
            <numerusform>%n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>%n year ago</numerusform>
            <numerusform>%n years ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n day</numerusform>
            <numerusform>in %n days</numerusform>
        </translation>
    </message>
</context>
</TS>
