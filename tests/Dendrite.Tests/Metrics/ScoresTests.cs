using Dendrite.Metrics;

namespace Dendrite.Tests.Metrics;

/// <summary>The scikit-learn-style functions against scikit-learn 1.2 on fixed labels (values printed by sklearn.metrics).</summary>
public class ScoresTests
{
    private static readonly int[] Yt = [0, 1, 2, 2, 1, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0];
    private static readonly int[] Yp = [0, 2, 2, 2, 1, 0, 0, 2, 1, 0, 2, 1, 2, 2, 2];
    private static readonly int[] Bt = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0];
    private static readonly int[] Bp = [1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0];

    [Fact]
    public void Multiclass_averages_match_scikit_learn()
    {
        Assert.Equal(0.5333333333333333, Scores.AccuracyScore(Yt, Yp), 1e-6);
        Assert.Equal(0.5333333333333333, Scores.PrecisionScore(Yt, Yp, "micro"), 1e-6);
        Assert.Equal(0.5277777777777778, Scores.PrecisionScore(Yt, Yp, "macro"), 1e-6);
        Assert.Equal(0.5333333333333333, Scores.RecallScore(Yt, Yp, "macro"), 1e-6);
        Assert.Equal(0.5106837606837606, Scores.F1Score(Yt, Yp, "macro"), 1e-6);
        Assert.Equal(0.5277777777777778, Scores.PrecisionScore(Yt, Yp, "weighted"), 1e-6);
        Assert.Equal(0.5106837606837605, Scores.F1Score(Yt, Yp, "weighted"), 1e-6);
        Assert.Throws<ArgumentException>(() => Scores.F1Score(Yt, Yp));   // "binary" needs two classes
    }

    [Fact]
    public void Binary_scores_and_roc_auc_match_scikit_learn()
    {
        Assert.Equal(0.75, Scores.AccuracyScore(Bt, Bp), 1e-6);
        Assert.Equal(0.7142857142857143, Scores.PrecisionScore(Bt, Bp), 1e-6);
        Assert.Equal(0.8333333333333334, Scores.RecallScore(Bt, Bp), 1e-6);
        Assert.Equal(0.7692307692307692, Scores.F1Score(Bt, Bp), 1e-6);
        float[] sc = [0.9f, 0.1f, 0.4f, 0.8f, 0.35f, 0.6f, 0.7f, 0.2f, 0.8f, 0.95f, 0.55f, 0.3f];
        Assert.Equal(0.9444444444444445, Scores.RocAucScore(Bt, sc), 1e-6);
        Assert.Equal(0.5, Scores.RocAucScore([0, 1], [0.5f, 0.5f]), 1e-12);   // ties count half
    }

    [Fact]
    public void Confusion_matrix_and_regression_scores()
    {
        Assert.Equal(new int[,] { { 3, 1, 0 }, { 1, 3, 1 }, { 0, 1, 4 } },
            Scores.ConfusionMatrix([0, 1, 2, 2, 1, 0, 1, 2, 0, 0, 1, 2, 2, 1], [0, 2, 2, 2, 1, 0, 0, 2, 1, 0, 1, 1, 2, 1]));
        Assert.Equal(0.318, Scores.MeanSquaredError([3f, -0.5f, 2f, 7f, 4.2f], [2.5f, 0f, 2f, 8f, 3.9f]), 1e-6);
        Assert.Equal(0.9480256276150627, Scores.R2Score([3f, -0.5f, 2f, 7f, 4.2f], [2.5f, 0f, 2f, 8f, 3.9f]), 1e-6);
    }

    [Fact]
    public void Classification_report_is_scikit_learns_text()
    {
        Assert.Equal("              precision    recall  f1-score   support\n\n      setosa       0.75      0.60      0.67         5\n  versicolor       0.33      0.20      0.25         5\n   virginica       0.50      0.80      0.62         5\n\n    accuracy                           0.53        15\n   macro avg       0.53      0.53      0.51        15\nweighted avg       0.53      0.53      0.51        15\n",
            Scores.ClassificationReport(Yt, Yp, ["setosa", "versicolor", "virginica"]));
        Assert.Equal("              precision    recall  f1-score   support\n\n           0      0.750     0.600     0.667         5\n           1      0.333     0.200     0.250         5\n           2      0.500     0.800     0.615         5\n\n    accuracy                          0.533        15\n   macro avg      0.528     0.533     0.511        15\nweighted avg      0.528     0.533     0.511        15\n",
            Scores.ClassificationReport(Yt, Yp, digits: 3));
    }

    [Fact]
    public void Keras_probabilities_become_labels()
    {
        Assert.Equal(new[] { 1, 0, 1 }, Scores.Labels(Tensor.FromArray([0.7f, 0.2f, 0.51f], 3, 1)));
        Assert.Equal(new[] { 2, 0 }, Scores.Labels(Tensor.FromArray([0.1f, 0.2f, 0.7f, 0.5f, 0.3f, 0.2f], 2, 3)));
    }
}
