using Knocknoc.Entra.Sdk.PostgreSql.Schema;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>The package creates and migrates its schema itself: once, whoever starts first, however many start at once.</summary>
public class SchemaTests
{
    [Test]
    public async Task Gates_migrating_at_once_apply_each_version_once_and_running_the_script_again_changes_nothing()
    {
        var source = TestDatabase.Shared();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SchemaMigrator.EnsureAsync(source, CancellationToken.None)));
        var script = File.ReadAllText(Path.Combine(Knocknoc.Entra.Tests.Repository.Root(), "src", "Knocknoc.Entra.Sdk.PostgreSql", "Schema", "001-shared-grants.sql"));
        await using (var again = source.CreateCommand(script))
        {
            await again.ExecuteNonQueryAsync(); // a DBA running the documented script on a live schema
        }

        await using var versions = source.CreateCommand("SELECT array_agg(version ORDER BY version) FROM knocknoc_entra.schema_version");
        Assert.That((int[])(await versions.ExecuteScalarAsync())!, Is.EqualTo(Enumerable.Range(1, SchemaMigrator.LatestVersion).ToArray()));
    }
}
