using BenchmarkDotNet.Running;
using Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;
using Knocknoc.Entra.Sdk.Benchmarks.Gate;

// Run all: dotnet run -c Release --project benchmarks/Knocknoc.Entra.Sdk.Benchmarks -- --filter '*'
// Describe the generated lists: dotnet run -c Release --project benchmarks/Knocknoc.Entra.Sdk.Benchmarks -- shapes
// Gate scenarios in emulated time (PATCH counts, visibility, memory): ... -- gate-scenarios [memory] [burst] [mixed] [sessions]
if (args is ["gate-scenarios", .. var scenarios])
{
    await GateScenarios.RunAsync(scenarios);
    return;
}

// Several agents through PostgreSQL (KNOCKNOC_TEST_POSTGRES; tests/postgres/with-postgres.sh sets it): ... -- shared-scenarios
if (args is ["shared-scenarios"])
{
    await Knocknoc.Entra.Sdk.Benchmarks.PostgreSql.SharedScenarios.RunAsync();
    return;
}

// The SDK's side of benchmarks/compare-cidr-tools.py: ... -- cidr-lists N DIR, then ... -- cidr-compare DIR RUNS
if (args is ["cidr-lists", var count, var listDirectory])
{
    CidrCompare.WriteLists(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), listDirectory);
    return;
}

if (args is ["cidr-compare", var compareDirectory, var runs])
{
    CidrCompare.Run(compareDirectory, int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["shapes"])
{
    ListShapes.Print();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
