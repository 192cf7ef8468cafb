using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Datasets;

/// <summary>
/// Imdb.LoadData on a small imdb.npz in Keras's format (object arrays of id lists, written by NumPy 1.24's np.savez);
/// the expected values come from Keras's load_data code run on the same file with NumPy.
/// </summary>
public sealed class ImdbTests : IDisposable
{
    // x_train = [[1,14,22,16],[1,194,1153],[5,6],[1,2,3,4,5,6,7],[9]], y_train = [1,0,0,1,1],
    // x_test = [[30,31],[1,70000,2],[4,4,4,4,4],[]], y_test = [0,1,1,0].
    private const string SmallNpz = "UEsDBBQAAAAAAAAAIQC5G4nsVQEAAFUBAAALABQAeF90cmFpbi5ucHkBABAAVQEAAAAAAABVAQAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3xPJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKgANjbnVtcHkuY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxAGNudW1weQpuZGFycmF5CnEBSwCFcQJDAWJxA4dxBFJxBShLAUsFhXEGY251bXB5CmR0eXBlCnEHWAIAAABPOHEIiYiHcQlScQooSwNYAQAAAHxxC05OTkr/////Sv////9LP3RxDGKJXXENKF1xDihLAUsOSxZLEGVdcQ8oSwFLwk2BBGVdcRAoSwVLBmVdcREoSwFLAksDSwRLBUsGSwdlXXESSwlhZXRxE2IuUEsDBBQAAAAAAAAAIQAuB3jhqAAAAKgAAAALABQAeV90cmFpbi5ucHkBABAAqAAAAAAAAACoAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICg1LCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAABAAAAAAAAAFBLAwQUAAAAAAAAACEA6dHjnUMBAABDAQAACgAUAHhfdGVzdC5ucHkBABAAQwEAAAAAAABDAQAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3xPJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKgANjbnVtcHkuY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxAGNudW1weQpuZGFycmF5CnEBSwCFcQJDAWJxA4dxBFJxBShLAUsEhXEGY251bXB5CmR0eXBlCnEHWAIAAABPOHEIiYiHcQlScQooSwNYAQAAAHxxC05OTkr/////Sv////9LP3RxDGKJXXENKF1xDihLHksfZV1xDyhLAUpwEQEASwJlXXEQKEsESwRLBEsESwRlXXERZXRxEmIuUEsDBBQAAAAAAAAAIQDScJ12oAAAAKAAAAAKABQAeV90ZXN0Lm5weQEAEACgAAAAAAAAAKAAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAFBLAQIUAxQAAAAAAAAAIQC5G4nsVQEAAFUBAAALAAAAAAAAAAAAAACAAQAAAAB4X3RyYWluLm5weVBLAQIUAxQAAAAAAAAAIQAuB3jhqAAAAKgAAAALAAAAAAAAAAAAAACAAZIBAAB5X3RyYWluLm5weVBLAQIUAxQAAAAAAAAAIQDp0eOdQwEAAEMBAAAKAAAAAAAAAAAAAACAAXcCAAB4X3Rlc3QubnB5UEsBAhQDFAAAAAAAAAAhANJwnXagAAAAoAAAAAoAAAAAAAAAAAAAAIAB9gMAAHlfdGVzdC5ucHlQSwUGAAAAAAQABADiAAAA0gQAAAAA";

    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-imdb-").FullName;

    public ImdbTests() => File.WriteAllBytes(Path.Combine(_dir, "imdb.npz"), Convert.FromBase64String(SmallNpz));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Same(int[][] expected, int[][] actual) =>
        Assert.Equal(expected.Select(r => string.Join(",", r)), actual.Select(r => string.Join(",", r)));

    [Fact]
    public void Defaults_shuffle_with_seed_113_shift_ids_and_make_the_largest_id_oov()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadNpz(Path.Combine(_dir, "imdb.npz"), null, 0, null, 113, 1, 2, 3);
        Same([[1, 4, 197, 1156], [1, 4, 17, 25, 19], [1, 4, 5, 6, 7, 8, 9, 10], [1, 8, 9], [1, 12]], xTrain);
        TensorAssert.Close([0, 1, 1, 0, 1], yTrain, atol: 0);
        Same([[1, 33, 34], [1, 4, 2, 5], [1], [1, 7, 7, 7, 7, 7]], xTest);
        TensorAssert.Close([0, 1, 0, 1], yTest, atol: 0);
    }

    [Fact]
    public void LoadData_reads_the_cache_with_num_words_skip_top_and_maxlen()
    {
        // Not the real file: the checksum check would refuse it, so the test goes through LoadNpz with the same arguments.
        var ((xTrain, yTrain), (xTest, yTest)) = Imdb.LoadNpz(Path.Combine(_dir, "imdb.npz"), 20, 4, 6, 113, 1, 2, 3);
        Same([[2, 4, 2, 2], [2, 4, 17, 2, 19], [2, 8, 9], [2, 12]], xTrain);
        TensorAssert.Close([0, 1, 0, 1], yTrain, atol: 0);
        Same([[2, 2, 2], [2, 4, 2, 5], [2]], xTest);
        TensorAssert.Close([0, 1, 0], yTest, atol: 0);
    }

    [Fact]
    public void Without_start_or_oov_chars_ids_outside_the_range_are_dropped()
    {
        var ((xTrain, _), (xTest, _)) = Imdb.LoadNpz(Path.Combine(_dir, "imdb.npz"), 20, 0, null, 113, null, null, 0);
        Same([[1], [1, 14, 16], [1, 2, 3, 4, 5, 6, 7], [5, 6], [9]], xTrain);
        Same([[], [1, 2], [], [4, 4, 4, 4, 4]], xTest);
    }

    [Fact]
    public void A_maxlen_that_keeps_nothing_is_an_argument_error() =>
        Assert.Contains("maxlen", Assert.Throws<ArgumentException>(() => Imdb.LoadNpz(Path.Combine(_dir, "imdb.npz"), null, 0, 1, 113, 1, 2, 3)).Message);

    [Fact]
    public void A_cached_file_with_the_wrong_checksum_is_reported()
    {
        var e = Assert.Throws<InvalidDataException>(() => Imdb.LoadData(cacheDirectory: _dir));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void The_word_index_is_read_from_json()
    {
        string path = Path.Combine(_dir, "imdb_word_index.json");
        File.WriteAllText(path, """{"the": 1, "and": 2, "fawn": 34701}""");
        var index = Imdb.ReadWordIndex(path);
        Assert.Equal(3, index.Count);
        Assert.Equal(34701, index["fawn"]);
        File.WriteAllText(path, """{"the": "one"}""");
        Assert.Contains("the", Assert.Throws<InvalidDataException>(() => Imdb.ReadWordIndex(path)).Message);
        File.WriteAllText(path, "{");
        Assert.Throws<InvalidDataException>(() => Imdb.ReadWordIndex(path));
    }

    [Fact]
    public void NumPy_legacy_shuffle_is_reproduced_bit_for_bit()
    {
        // np.random.RandomState(113): shuffle(arange(10)), then shuffle(arange(7)) on the same generator.
        var rng = new LegacyNumPyShuffle(113);
        var a = Enumerable.Range(0, 10).ToArray();
        rng.Shuffle(a.AsSpan());
        Assert.Equal([9, 3, 6, 1, 0, 7, 4, 8, 2, 5], a);
        var b = Enumerable.Range(0, 7).ToArray();
        rng.Shuffle(b.AsSpan());
        Assert.Equal([5, 1, 0, 3, 6, 4, 2], b);
        var big = Enumerable.Range(0, 25000).ToArray();
        new LegacyNumPyShuffle(113).Shuffle(big.AsSpan());
        Assert.Equal([7798, 13226, 18078, 793, 17499, 23003, 574, 19638], big[..8]);
        Assert.Equal([22690, 4828, 14501], big[^3..]);
    }
}
