namespace Dendrite.Tests.Api;

/// <summary><see cref="JitProfile"/>'s checks and failure handling. (Starting a profile is process-wide, so the test
/// host never starts one: replay is measured by the benchmark program's <c>jit_profile_replayed</c> runs.)</summary>
public class JitProfileTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_name_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => JitProfile.Start(name, Path.GetTempPath()));

    [Fact]
    public void A_folder_that_cannot_be_created_starts_nothing_and_throws_nothing()
    {
        string file = Path.GetTempFileName();
        try
        {
            // A folder under a regular file cannot exist: Start reports false instead of failing the program.
            Assert.False(JitProfile.Start("test", Path.Combine(file, "profiles")));
            Assert.False(Directory.Exists(Path.Combine(file, "profiles")));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void IsRecorded_finds_this_builds_profile_file_only()
    {
        string dir = Directory.CreateTempSubdirectory("dendrite-jitprofile-").FullName;
        try
        {
            Assert.False(JitProfile.IsRecorded("w2", dir));
            File.WriteAllText(Path.Combine(dir, "w2-00000000.jitprofile"), "another build's");
            Assert.False(JitProfile.IsRecorded("w2", dir));
            File.WriteAllText(Path.Combine(dir, JitProfile.FileName("w2")), "");
            Assert.True(JitProfile.IsRecorded("w2", dir));
            Assert.False(JitProfile.IsRecorded("w1", dir));
            Assert.Throws<ArgumentException>(() => JitProfile.IsRecorded(" ", dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
