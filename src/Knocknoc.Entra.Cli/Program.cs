using System.CommandLine;
using Knocknoc.Entra.Cli.Commands;
using Knocknoc.Entra.Cli.Runtime;

// knocknoc-entra: one class per command under Commands/, each with a Create() returning its Command.
// A new command is one file there and one line here.
// A named root rather than RootCommand, whose name is the entry assembly's (Knocknoc.Entra.Cli), not the tool's.
var root = new Command("knocknoc-entra", "Keeps a Microsoft Entra ID Conditional Access IP named location in step with users' just-in-time access grants.")
{
    HelpWithSettings.Option(),
    new VersionOption(),
    GlobalOptions.LogLevel,
    GlobalOptions.Verbose,
    DemoCommand.Create(),
    EmulatorCommand.Create(),
    DoctorCommand.Create(),
    WhatIfCommand.Create(),
    ShowCommand.Create(),
    LocationsCommand.Create(),
    GrantCommand.Create(),
    RevokeCommand.Create(),
    FlushCommand.Create(),
    ExpireCommand.Create(),
    ScriptCommand.Create(),
};

return await CommandRunner.RunAsync(root, args);
