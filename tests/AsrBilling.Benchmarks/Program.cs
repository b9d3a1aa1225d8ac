using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AsrBilling.Benchmarks.UsageData).Assembly).Run(args);
