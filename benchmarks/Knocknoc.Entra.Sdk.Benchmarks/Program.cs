using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project benchmarks/Knocknoc.Entra.Sdk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
