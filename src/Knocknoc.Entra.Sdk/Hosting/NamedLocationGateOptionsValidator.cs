using Knocknoc.Entra.Sdk.Gate;
using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk.Hosting;

/// <summary>
/// Checks a gate's options when they are first built, which <c>ValidateOnStart</c> makes the host's start: a bad
/// configuration fails the host with every problem listed, not the first grant hours later.
/// </summary>
internal sealed class NamedLocationGateOptionsValidator : IValidateOptions<NamedLocationGateOptions>
{
    public ValidateOptionsResult Validate(string? name, NamedLocationGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A gate built from the container always builds its own Graph client, so it always needs a credential.
        var problems = options.Validate(needsGraphAccess: true).ToList();
        if (FollowsRedirects(options.Transport))
        {
            // NamedLocationClient checks only the handler it is given; a factory's handler wraps the primary one.
            problems.Add($"The HTTP transport follows redirects, which could carry a token or a client secret to another host: set AllowAutoRedirect = false on the primary handler of the HTTP client '{NamedLocationGateRegistration.ForHttpClient(options.Name)}'.");
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Gate '{name}': {problem}"));
    }

    /// <summary>Whether any handler down the chain (a factory's handlers wrap the primary one) follows redirects.</summary>
    internal static bool FollowsRedirects(HttpMessageHandler? transport)
    {
        for (var handler = transport; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            if (handler is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
            {
                return true;
            }
        }

        return false;
    }
}
