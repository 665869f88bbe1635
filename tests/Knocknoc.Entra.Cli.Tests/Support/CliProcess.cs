using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Cli.Tests.Support;

/// <summary>
/// The built tool (<c>artifacts/bin/Knocknoc.Entra.Cli/{configuration}/Knocknoc.Entra.Cli.dll</c>) run as a process,
/// as a user runs it: <c>dotnet Knocknoc.Entra.Cli.dll ARGS</c>, output redirected (so never a terminal).
/// </summary>
internal sealed partial class CliProcess : IDisposable
{
    // Hang guards only: a command that takes this long is broken, not slow.
    public static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private readonly StringBuilder _stderr = new();
    private readonly Process _process;

    private CliProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public StreamReader Output => _process.StandardOutput;

    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The tool's dll, built in the same configuration as these tests (the project reference builds it first).</summary>
    public static string ToolPath()
    {
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Name;
        var path = Path.Combine(Repository.Root(), "artifacts", "bin", "Knocknoc.Entra.Cli", configuration, "Knocknoc.Entra.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The tool was not built at {path}.", path);
    }

    /// <summary>Starts the tool with <paramref name="arguments"/>; <paramref name="environment"/> values of null unset a variable.</summary>
    public static CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ToolPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Runs the tool to its end and returns its exit code and output; a run that outlives the guard fails with what it printed so far.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(arguments, environment);
        using var guard = new CancellationTokenSource(Guard);
        var output = new StringBuilder();
        try
        {
            while (await process.Output.ReadLineAsync(guard.Token) is { } line)
            {
                output.AppendLine(line);
            }

            var exitCode = await process.WaitForExitAsync(guard.Token);
            return (exitCode, output.ToString(), process.Errors);
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            Assert.Fail($"the tool did not end within {Guard.TotalMinutes} minutes; it printed:\n{output}{process.Errors}");
            throw;
        }
    }

    /// <summary>Waits for the process to end (within the guard) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);

        // Let the asynchronous reader of standard error take its last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (SIGINT, SIGTERM) as a user's Ctrl+C or a service manager would.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Sends SIGKILL (kill -9), unless the process has already ended.</summary>
    /// <returns>True when the signal was sent.</returns>
    public bool TryKill() => !_process.HasExited && Kill(_process.Id, 9) == 0;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
