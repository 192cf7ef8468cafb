using System.Security.Cryptography;
using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>
/// Where downloaded data sets live: <c>~/.keras/datasets</c> (shared with Python Keras) or <c>DENDRITE_DATA</c>.
/// Files are downloaded once into a temporary name, verified against their published checksum, then renamed into place.
/// </summary>
public static class DatasetCache
{
    /// <summary>The cache directory: <c>DENDRITE_DATA</c> when set, else <c>~/.keras/datasets</c>.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("DENDRITE_DATA") is { Length: > 0 } d ? d
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keras", "datasets");

    /// <summary>True when <c>DENDRITE_OFFLINE</c> is <c>1</c> or <c>true</c>: nothing is downloaded, a missing file is reported at once.</summary>
    public static bool Offline => Environment.GetEnvironmentVariable("DENDRITE_OFFLINE") is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>How long a download may take.</summary>
    public static TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The local path of <paramref name="fileName"/> (under <paramref name="subdirectory"/>), downloading it from
    /// <paramref name="url"/> if it is not cached. <paramref name="checksum"/> is "sha256:HEX" or "md5:HEX" (null: not checked).
    /// A cached file that fails the check is left in place and reported; a download that fails it is discarded.
    /// </summary>
    public static string GetFile(string fileName, string url, string? checksum, string subdirectory = "", string? cacheDirectory = null)
    {
        string dir = Path.Combine(cacheDirectory ?? Directory, subdirectory);
        string path = Path.Combine(dir, fileName);
        if (File.Exists(path))
        {
            if (checksum is not null && !Matches(path, checksum, out string actual))
                throw new InvalidDataException($"The cached file {path} does not match its expected checksum ({checksum}, got {actual}). " +
                    "It was left in place; delete it to download it again, or replace it with the file from " + url + ".");
            return path;
        }
        if (Offline)
            throw new IOException($"Could not download {url}: downloads are turned off (DENDRITE_OFFLINE is set). Without network access, " +
                $"download that file elsewhere and place it at {path}{(checksum is null ? "" : $" (expected checksum {checksum})")}.");
        System.IO.Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{fileName}.{Environment.ProcessId}.download");
        try
        {
            using (var http = new HttpClient { Timeout = DownloadTimeout })
            using (var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
            {
                response.EnsureSuccessStatusCode();
                using var body = response.Content.ReadAsStream();
                using var f = File.Create(tmp);
                body.CopyTo(f);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            TryDelete(tmp);
            throw new IOException($"Could not download {url}: {e.Message}. Without network access, download that file elsewhere " +
                $"and place it at {path}{(checksum is null ? "" : $" (expected checksum {checksum})")}.", e);
        }
        if (checksum is not null && !Matches(tmp, checksum, out string got))
        {
            TryDelete(tmp);
            throw new InvalidDataException($"The file downloaded from {url} does not match its expected checksum ({checksum}, got {got}); it was discarded. Try again later.");
        }
        File.Move(tmp, path, overwrite: false);
        return path;
    }

    /// <summary>True when the file's hash matches "sha256:HEX" or "md5:HEX".</summary>
    public static bool Matches(string path, string checksum, out string actual)
    {
        int colon = checksum.IndexOf(':');
        string algo = colon < 0 ? "sha256" : checksum[..colon].ToLowerInvariant();
        string expected = (colon < 0 ? checksum : checksum[(colon + 1)..]).ToLowerInvariant();
        using var f = File.OpenRead(path);
        byte[] hash = algo switch
        {
            "sha256" => SHA256.HashData(f),
            "md5" => MD5.HashData(f),
            _ => throw new ArgumentException($"Unknown checksum algorithm '{algo}' (use sha256: or md5:)."),
        };
        actual = $"{algo}:{Convert.ToHexStringLower(hash)}";
        return actual == $"{algo}:{expected}";
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
