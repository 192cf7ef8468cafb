using System.Collections;
using System.Text;

namespace Dendrite;

/// <summary>
/// A read-only list of tensors (what <c>GetWeights()</c> returns) that prints its values:
/// <c>Console.WriteLine(model.GetWeights())</c> shows each tensor's name, shape and NumPy-style values.
/// </summary>
public sealed class TensorList : IReadOnlyList<Tensor>
{
    private readonly Tensor[] _items;

    /// <summary>A list over these tensors (the sequence is copied; the tensors are not).</summary>
    public TensorList(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _items = tensors.ToArray();
    }

    /// <inheritdoc/>
    public Tensor this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public IEnumerator<Tensor> GetEnumerator() => ((IEnumerable<Tensor>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Each tensor as <c>name (shape):</c> followed by its values, one after another.</summary>
    public override string ToString() => Format(_items);

    /// <summary>Formats any tensors the way <see cref="ToString"/> does (for a <c>Tensor[]</c> or a <c>List&lt;Tensor&gt;</c>).</summary>
    public static string Format(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var sb = new StringBuilder();
        int i = 0;
        foreach (var t in tensors)
        {
            if (i > 0) sb.Append('\n');
            sb.Append(t.Name ?? $"[{i}]").Append(' ').Append(t.Shape).Append(":\n").Append(t);
            i++;
        }
        return i == 0 ? "[]" : sb.ToString();
    }
}
