using Knocknoc.Entra.Sdk.Clouds;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

public class EntraCloudTests
{
    [TestCase("Global", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default")]
    [TestCase("UsGovernmentL4", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default")]
    [TestCase("DoD", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default")]
    [TestCase("china", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default")]
    public void National_clouds_choose_authority_Graph_and_scope_together(string name, string authority, string scope)
    {
        var cloud = EntraCloud.FromName(name);
        Assert.That((cloud.AuthorityHost.AbsoluteUri, cloud.GraphScope, cloud.IsKnown), Is.EqualTo((authority, scope, true)));
    }

    [Test]
    public void Custom_endpoints_must_be_HTTPS_except_Graph_on_loopback()
    {
        Assert.That(EntraCloud.Custom(new Uri("https://127.0.0.1:5001"), new Uri("http://127.0.0.1:5002/")).GraphScope, Is.EqualTo("http://127.0.0.1:5002/.default"));
        Assert.That(EntraCloud.Custom(new Uri("https://localhost:5001"), new Uri("http://[::1]:5002")).IsKnown, Is.False);
        Assert.Throws<ArgumentException>(() => EntraCloud.Custom(new Uri("http://127.0.0.1:5001"), new Uri("https://graph.test")));
        Assert.Throws<ArgumentException>(() => EntraCloud.Custom(new Uri("https://login.test"), new Uri("http://graph.test")));
        Assert.Throws<ArgumentException>(() => EntraCloud.Custom(new Uri("https://login.test"), new Uri("http://10.0.0.1")));
        Assert.Throws<ArgumentException>(() => EntraCloud.FromName("Mars"));
    }
}
