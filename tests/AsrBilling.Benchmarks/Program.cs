using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AsrBilling.Benchmarks.BillPricingBenchmarks).Assembly).Run(args);
