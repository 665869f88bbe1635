namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>The configuration is incomplete or wrong: a usage error (exit 2) whose message says what to fix.</summary>
internal sealed class ConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
