
namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>The directory flush after a rename: the native calls resolve on this platform, and a missing directory is no error.</summary>
public class DirectoryEntriesTests
{
    [Test]
    public void A_directory_is_flushed_and_a_missing_one_is_skipped()
    {
        var directory = Directory.CreateTempSubdirectory("knocknoc-dir-").FullName;
        try
        {
            Assert.DoesNotThrow(() => DirectoryEntries.Flush(directory));
            Assert.DoesNotThrow(() => DirectoryEntries.Flush(Path.Combine(directory, "missing")));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}
