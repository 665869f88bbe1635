using System.CommandLine;
using Knocknoc.Entra.Cli.Commands;
using Knocknoc.Entra.Cli.Runtime;

// knocknoc-entra: one class per command under Commands/, each with a Create() returning its Command.
// A new command is one file there and one line here.
var root = new RootCommand("knocknoc-entra: keeps a Microsoft Entra ID Conditional Access IP named location in step with users' just-in-time access grants.")
{
    DemoCommand.Create(),
    EmulatorCommand.Create(),
};

return await CommandRunner.RunAsync(root, args);
