"""Demo: the fictional demo college, the releases demo and the benchmarks."""
