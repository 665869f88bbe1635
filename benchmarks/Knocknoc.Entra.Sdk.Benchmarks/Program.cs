using BenchmarkDotNet.Running;
using Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

// Run all: dotnet run -c Release --project benchmarks/Knocknoc.Entra.Sdk.Benchmarks -- --filter '*'
// Describe the generated lists: dotnet run -c Release --project benchmarks/Knocknoc.Entra.Sdk.Benchmarks -- shapes
if (args is ["shapes"])
{
    ListShapes.Print();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
