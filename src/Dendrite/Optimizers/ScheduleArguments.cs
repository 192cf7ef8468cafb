namespace Dendrite.Optimizers;

/// <summary>Checks of the arguments the learning-rate schedules share, so that a schedule can never produce NaN.</summary>
internal static class ScheduleArguments
{
    public static double Rate(double value, string schedule, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} must be finite and positive, got {value}.");
        return value;
    }

    public static long Steps(long value, string schedule, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} must be positive, got {value}.");
        return value;
    }
}
