using Dendrite.Data;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Data;

/// <summary>PadSequences and TextVectorization against Keras's semantics (worked by hand from its source).</summary>
public class TextTests
{
    private static readonly int[][] Seqs = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]];

    [Fact]
    public void PadSequences_pads_and_truncates_at_the_start_by_default() =>
        TensorAssert.Close([0, 1, 2, 3, 0, 0, 4, 5, 7, 8, 9, 10], Utils.PadSequences(Seqs, maxlen: 4), atol: 0);

    [Fact]
    public void PadSequences_post_padding_and_truncating() =>
        TensorAssert.Close([1, 2, 3, 0, 4, 5, 0, 0, 6, 7, 8, 9], Utils.PadSequences(Seqs, maxlen: 4, padding: "post", truncating: "post"), atol: 0);

    [Fact]
    public void PadSequences_mixed_modes_and_value() =>
        TensorAssert.Close([-1, 1, 2, 3, -1, -1, 4, 5, 6, 7, 8, 9], Utils.PadSequences(Seqs, maxlen: 4, truncating: "post", value: -1), atol: 0);

    [Fact]
    public void PadSequences_defaults_to_the_longest_sequence()
    {
        var y = Utils.PadSequences(Seqs);
        TensorAssert.ShapeIs([3, 5], y);
        TensorAssert.Close([0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10], y, atol: 0);
    }

    [Fact]
    public void PadSequences_dtype_casts_like_numpy()
    {
        float[][] f = [[1.7f, -2.5f], []];
        TensorAssert.Close([1, -2, 0, 0], Utils.PadSequences(f, dtype: "int32", value: 0.5f), atol: 0);
        TensorAssert.Close([1.7f, -2.5f, 0.5f, 0.5f], Utils.PadSequences(f, dtype: "float32", value: 0.5f), atol: 0);
    }

    [Fact]
    public void PadSequences_rejects_bad_arguments()
    {
        Assert.Contains("padding", Assert.Throws<ArgumentException>(() => Utils.PadSequences(Seqs, padding: "middle")).Message);
        Assert.Contains("truncating", Assert.Throws<ArgumentException>(() => Utils.PadSequences(Seqs, truncating: "x")).Message);
        Assert.Contains("str", Assert.Throws<ArgumentException>(() => Utils.PadSequences(Seqs, dtype: "str")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Utils.PadSequences(Seqs, maxlen: -1));
        TensorAssert.ShapeIs([0, 0], Utils.PadSequences(Array.Empty<int[]>()));
    }

    private static readonly string[] Corpus = ["The cat sat.", "the CAT, the hat!", "A dog"];

    [Fact]
    public void Vocabulary_is_by_frequency_with_ties_in_reverse_byte_order()
    {
        // counts: the 3, cat 2, then sat/hat/dog/a once each: np.lexsort((tokens, counts))[::-1] puts them as sat, hat, dog, a.
        var tv = new TextVectorization().Adapt(Corpus);
        Assert.Equal(["", "[UNK]", "the", "cat", "sat", "hat", "dog", "a"], tv.GetVocabulary());
        Assert.Equal(8, tv.VocabularySize);
        Assert.Equal(["", "[UNK]", "the", "cat", "sat"], new TextVectorization(maxTokens: 5).Adapt(Corpus).GetVocabulary());
    }

    [Fact]
    public void Calling_maps_tokens_to_ids_with_oov_and_end_padding()
    {
        var tv = new TextVectorization(maxTokens: 5).Adapt(Corpus);
        var y = tv.Call(["the hat sat", "Cat!", "a zebra and THE cat"]);
        TensorAssert.ShapeIs([3, 5], y);
        TensorAssert.Close([2, 1, 4, 0, 0, 3, 0, 0, 0, 0, 1, 1, 1, 2, 3], y, atol: 0);
        var fixedLen = new TextVectorization(outputSequenceLength: 2).Adapt(Corpus).Call(["the dog sat on", "cat"]);
        TensorAssert.Close([2, 6, 3, 0], fixedLen, atol: 0);
    }

    [Fact]
    public void Standardize_strips_python_punctuation_and_lowercases_ascii_only()
    {
        var tv = new TextVectorization();
        Assert.Equal("its a 1010 testé Àb", tv.StandardizeText("It's a \"10/10\" tesT-é ÀB!?"));
        Assert.Equal(32, TextVectorization.Punctuation.Length);
        Assert.Equal("", tv.StandardizeText(TextVectorization.Punctuation));
        Assert.Equal(["a", "b", "c"], tv.Tokenize(" a\tb\n\r c  "));
        Assert.Equal("Hi.", new TextVectorization(standardize: null).StandardizeText("Hi."));
        Assert.Equal(["h", "i", "😀"], new TextVectorization(split: "character").Tokenize("Hi😀"));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextVectorization(maxTokens: 2));
        Assert.Contains("standardize", Assert.Throws<ArgumentException>(() => new TextVectorization(standardize: "upper")).Message);
        Assert.Throws<NotSupportedException>(() => new TextVectorization(outputMode: "tf_idf"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextVectorization(outputSequenceLength: 0));
    }
}
