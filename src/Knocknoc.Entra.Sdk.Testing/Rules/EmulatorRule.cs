namespace Knocknoc.Entra.Sdk.Testing.Rules;

/// <summary>
/// One rule of Entra or Graph the emulator enforces. Every refusal names its rule in the <c>x-emulator-rule</c>
/// answer header, so a test (or a puzzled user) knows which rule fired; docs/testing.md lists them all with their
/// sources, and a test keeps that table, this catalogue and the refusals in agreement.
/// </summary>
/// <param name="Id">A short stable name, the header's value.</param>
/// <param name="Summary">What is refused and how.</param>
/// <param name="Source">Where the rule comes from: a documentation page, or "emulator's choice" where Microsoft documents nothing.</param>
public sealed record EmulatorRule(string Id, string Summary, string Source)
{
    /// <summary>The answer header naming the rule behind a refusal.</summary>
    public const string Header = "x-emulator-rule";

    /// <summary>The source of a behaviour Microsoft does not document.</summary>
    public const string EmulatorsChoice = "emulator's choice";
}
