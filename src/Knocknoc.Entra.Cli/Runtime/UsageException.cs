namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// A command line the tool cannot run: the option or argument and what is wrong with it, printed as one line, exit
/// <see cref="ExitCodes.Usage"/>. A command throws it for what only its action can check (a combination of options, an
/// argument's form); a value's own form is checked by the option's parser (<see cref="OptionValues"/>) before any
/// action runs.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="UsageException"/> class.</summary>
    public UsageException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UsageException"/> class.</summary>
    /// <param name="message">What is wrong, naming the option.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UsageException"/> class.</summary>
    /// <param name="message">What is wrong, naming the option.</param>
    /// <param name="innerException">The cause.</param>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UsageException"/> class for one option or argument.</summary>
    /// <param name="option">The option (<c>--for</c>) or argument (<c>ACL</c>) as the user typed or read it in the help.</param>
    /// <param name="problem">What is wrong with it and what it takes.</param>
    /// <returns>The exception.</returns>
    public static UsageException For(string option, string problem) => new($"{option}: {problem}");
}
