using Knocknoc.Entra.Sdk;


namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/entra-setup.md: choosing the cloud.</summary>
public static class Clouds
{
    public static EntraCloud[] Choose(string cloudNameFromConfiguration)
    {
        #region snippet:setup-clouds
        var usGovernment = EntraCloud.UsGovernmentL4;                  // login.microsoftonline.us + graph.microsoft.us
        var fromSettings = EntraCloud.FromName(cloudNameFromConfiguration); // "Global", "China", "GccHigh", "DoD", ...
        var emulator = EntraCloud.Custom(                              // an emulator, as `knocknoc-entra emulator` prints it
            new Uri("https://127.0.0.1:5443/"),
            new Uri("https://127.0.0.1:5443/"));
        #endregion
        return [usGovernment, fromSettings, emulator];
    }
}
