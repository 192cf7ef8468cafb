# Sourced by compare*.sh after they set build=jit or build=aot: builds the benchmark program that way and defines
# `bench`, which runs it with the given arguments.
#   jit: `dotnet build -c Release` (the library's ReadyToRun image, tiered compilation off: what `dotnet run` users get);
#   aot: `dotnet publish -p:PublishAot=true` for this machine's runtime identifier into bin/aot (the package's targets
#        pick the build machine's instruction sets, so the AVX-512 kernels are the ones the JIT would use). Native AOT
#        needs the ILCompiler package (restored from NuGet) and clang or gcc with the linker, as `dotnet publish` says.
if [ "$build" = aot ]; then
  rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
  dotnet publish -c Release -r "$rid" -p:PublishAot=true benchmarks/Dendrite.Benchmarks -o benchmarks/Dendrite.Benchmarks/bin/aot -v q -nologo >/dev/null
  bench() { benchmarks/Dendrite.Benchmarks/bin/aot/Dendrite.Benchmarks "$@"; }
else
  dotnet build -c Release benchmarks/Dendrite.Benchmarks -v q -nologo >/dev/null
  bench() { dotnet run -c Release --no-build --project benchmarks/Dendrite.Benchmarks -- "$@"; }
fi
