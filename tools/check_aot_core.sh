#!/usr/bin/env bash
# Publishes a small program that uses the core's saving API with Native AOT and counts the trim/AOT warnings
# (the core must stay at 0; PureHDF, in src/Dendrite.Saving.Hdf5, is left out of it on purpose).
# Usage: bash tools/check_aot_core.sh   (needs the NuGet feed for the ILCompiler package; ~2 minutes)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cat > "$dir/aotcore.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings><PublishAot>true</PublishAot><TreatWarningsAsErrors>false</TreatWarningsAsErrors></PropertyGroup>
  <ItemGroup><ProjectReference Include="$repo/src/Dendrite/Dendrite.csproj" /></ItemGroup>
</Project>
PROJ
cat > "$dir/Program.cs" <<'CS'
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
var m = new Sequential([new Input(shape: [3]), new Dense(2)]);
m.Compile(new Dendrite.Optimizers.Adam(), "mse");
try { m.Save("x.keras"); } catch (InvalidOperationException e) { Console.WriteLine(e.Message); }
Console.WriteLine(LayerRegistry.FromConfig("Dense", m.Layers[0].GetConfig()).Name);
CS
dotnet publish "$dir/aotcore.csproj" -c Release -r linux-x64 -o "$dir/out" 2>&1 | tee "$dir/publish.log" | tail -3
echo "trim/AOT warnings: $(grep -ciE 'warning (IL|CS)' "$dir/publish.log" || true)"
"$dir/out/aotcore"
