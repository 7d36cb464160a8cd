"""rawa.build: how the build runs: correct incremental builds, reproducible output, and
a tuned garbage collector. Nothing here changes what a clean build publishes."""
