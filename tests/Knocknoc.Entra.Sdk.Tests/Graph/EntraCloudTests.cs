
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

    [TestCase("https://graph.microsoft.com/.default", true)]
    [TestCase("https://graph.microsoft.com/", false)]
    [TestCase("https://graph.microsoft.com/User.Read", false)]
    [TestCase("/.default", false)]
    [TestCase("graph.microsoft.com/.default", false)]
    [TestCase("http://graph.microsoft.com/.default", false)]
    [TestCase("http://127.0.0.1:5002/.default", true)]
    [TestCase("https://graph.microsoft.com/.default?x=1", false)]
    public void A_custom_scope_must_be_an_app_only_default_scope(string scope, bool accepted)
    {
        var create = () => EntraCloud.Custom(new Uri("https://login.test/"), new Uri("https://proxy.test/"), scope);

        if (accepted)
        {
            Assert.That(create().GraphScope, Is.EqualTo(scope));
            Assert.That(create().GraphRoot.AbsoluteUri, Is.EqualTo("https://proxy.test/"), "requests still go to the proxy");
        }
        else
        {
            Assert.That(create, Throws.ArgumentException.With.Message.Contains("/.default"));
        }
    }

    [Test]
    public void Custom_endpoints_given_as_text_are_the_same_cloud_as_given_as_Uris()
    {
        var text = EntraCloud.Custom("https://login.test/tenant-path?x=1", "https://proxy.test", "https://graph.microsoft.com/.default");
        var uris = EntraCloud.Custom(new Uri("https://login.test/tenant-path?x=1"), new Uri("https://proxy.test"), "https://graph.microsoft.com/.default");

        Assert.That((text.AuthorityHost, text.GraphRoot, text.GraphScope), Is.EqualTo((uris.AuthorityHost, uris.GraphRoot, uris.GraphScope)));
        Assert.That(EntraCloud.Custom("https://127.0.0.1:5001", "http://127.0.0.1:5002/").GraphScope, Is.EqualTo("http://127.0.0.1:5002/.default"));
    }

    [TestCase("login.test", "https://graph.test", "authorityHost")]
    [TestCase("https://login.test", "/v1.0", "graphRoot")]
    [TestCase("https://login.test", "http://graph.test", "graphRoot")]
    public void Custom_endpoints_given_as_text_are_refused_naming_the_parameter(string authority, string graph, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => EntraCloud.Custom(authority, graph))!;

        Assert.That(error.ParamName, Is.EqualTo(parameter));
    }
}
