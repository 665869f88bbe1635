using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>Checks the shared options of one registered gate with the host's start, beside the SDK's checks of its gate options.</summary>
internal sealed class SharedGateOptionsValidator(SharedGateRegistration registration) : IValidateOptions<NamedLocationGateOptions>
{
    public ValidateOptionsResult Validate(string? name, NamedLocationGateOptions options)
    {
        if (name != registration.Name)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = registration.For(options).Validate();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Gate '{name}': {problem}"));
    }
}
