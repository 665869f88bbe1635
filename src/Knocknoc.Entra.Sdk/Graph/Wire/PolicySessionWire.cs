namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>Reads a policy's session controls as Graph spells them.</summary>
internal static class PolicySessionWire
{
    /// <summary>The <c>Prefer</c> value without which Graph hides evolvable enum members such as <c>strictLocation</c>.</summary>
    public const string IncludeUnknownEnumMembers = "include-unknown-enum-members";

    public static ContinuousAccessEvaluationMode? Mode(ContinuousAccessEvaluationControl? control) => control switch
    {
        null => null,
        { Mode: "strictEnforcement" } => ContinuousAccessEvaluationMode.StrictEnforcement,
        { Mode: "disabled" } => ContinuousAccessEvaluationMode.Disabled,
        { Mode: "strictLocation" } => ContinuousAccessEvaluationMode.StrictLocation,
        _ => ContinuousAccessEvaluationMode.Unknown,
    };

    public static SignInFrequencyControl? Frequency(SignInFrequencyResource? frequency)
    {
        if (frequency is null || frequency.IsEnabled == false)
        {
            return null;
        }

        if (frequency.FrequencyInterval == "everyTime")
        {
            return new SignInFrequencyControl(EveryTime: true, Interval: null);
        }

        return frequency switch
        {
            { Value: { } hours and > 0, Type: "hours" } => new SignInFrequencyControl(false, TimeSpan.FromHours(hours)),
            { Value: { } days and > 0, Type: "days" } => new SignInFrequencyControl(false, TimeSpan.FromDays(days)),
            _ => null,
        };
    }
}
