using Knocknoc.Entra.Sdk.Graph;
using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk;

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
        if (Transports.FollowRedirects(options.Transport))
        {
            // Found here already, so the host's start lists it with every other problem.
            problems.Add($"The HTTP transport follows redirects, which could carry a token or a client secret to another host: set AllowAutoRedirect = false on the primary handler of the HTTP client '{NamedLocationGateRegistration.ForHttpClient(options.Name)}'.");
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Gate '{name}': {problem}"));
    }
}
