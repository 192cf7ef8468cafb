using System.Globalization;
using System.Text;
using Dendrite.Layers;

namespace Dendrite.Models;

public partial class Model
{
    // Keras caps the table at the terminal width minus 4 (76 on an 80-column console); rich then fits the columns
    // (positions 0.45/0.80/1.0 for a chain, 0.3/0.56/0.74/1.0 with "Connected to") to these cell widths.
    private static readonly int[] ChainWidths = [33, 24, 15];
    private static readonly int[] GraphWidths = [21, 19, 12, 19];

    /// <summary>Prints the Keras summary table to the console and returns it.</summary>
    public string Summary()
    {
        var text = SummaryText();
        Console.Out.Write(text);
        return text;
    }

    /// <summary>
    /// The Keras summary table: layers, output shapes, parameter counts, totals (and connections for graphs). A Sequential
    /// that has no input shape yet lists its layers with output shape <c>?</c> and <c>0 (unbuilt)</c> parameters, as Keras 3 does.
    /// </summary>
    public string SummaryText()
    {
        bool chain = IsChain();
        var widths = chain ? ChainWidths : GraphWidths;
        string[] header = chain ? ["Layer (type)", "Output Shape", "Param #"] : ["Layer (type)", "Output Shape", "Param #", "Connected to"];
        bool[] right = chain ? [false, false, true] : [false, false, true, false];
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<string[]>();
        var inGraph = Nodes.ToHashSet();
        foreach (var layer in Layers)
        {
            var node = Nodes.FirstOrDefault(n => n.Layer == layer);
            string shape = node is null ? "?" : Layer.FormatShape(node.Output.Shape);
            string parms = layer.Built ? layer.CountParams().ToString("N0", inv) : "0 (unbuilt)";
            var row = new List<string> { $"{layer.Name} ({layer.ClassName})", shape, parms };
            if (!chain)
            {
                var links = node?.Inputs.Select(t => $"{t.Layer.Name}[{t.Layer.InboundNodes.IndexOf(t.Producer)}][0]").ToList() ?? [];
                row.Add(links.Count == 0 ? "-" : string.Join(", ", links));
            }
            rows.Add([.. row]);
        }

        var sb = new StringBuilder();
        sb.Append($"Model: \"{Name}\"\n");
        sb.Append(Border('┏', '━', '┳', '┓', widths));
        AppendRow(sb, header, widths, right, '┃');
        sb.Append(Border('┡', '━', '╇', '┩', widths));
        for (int r = 0; r < rows.Count; r++)
        {
            AppendRow(sb, rows[r], widths, right, '│');
            sb.Append(r < rows.Count - 1 ? Border('├', '─', '┼', '┤', widths) : Border('└', '─', '┴', '┘', widths));
        }
        if (rows.Count == 0) sb.Append(Border('└', '─', '┴', '┘', widths));
        long trainable = TrainableWeights.Sum(w => (long)w.Size), nonTrainable = NonTrainableWeights.Sum(w => (long)w.Size);
        long optimizer = IsCompiled ? Optimizer!.StateSize : 0;
        sb.Append($" Total params: {(trainable + nonTrainable + optimizer).ToString("N0", inv)} ({Size(trainable + nonTrainable + optimizer)})\n");
        sb.Append($" Trainable params: {trainable.ToString("N0", inv)} ({Size(trainable)})\n");
        sb.Append($" Non-trainable params: {nonTrainable.ToString("N0", inv)} ({Size(nonTrainable)})\n");
        if (optimizer > 0) sb.Append($" Optimizer params: {optimizer.ToString("N0", inv)} ({Size(optimizer)})\n");
        return sb.ToString();
    }

    /// <summary>True when the graph is a plain chain (Keras's "sequential_like"): no branch, no merge, no shared layer.</summary>
    private bool IsChain()
    {
        if (this is Sequential) return true;
        if (Inputs.Count != 1 || Outputs.Count != 1) return false;
        var consumers = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        foreach (var n in Nodes)
        {
            if (n.Inputs.Count > 1) return false;
            foreach (var t in n.Inputs) consumers[t] = consumers.GetValueOrDefault(t) + 1;
        }
        return consumers.Values.All(c => c == 1) && Nodes.Select(n => n.Layer).Distinct().Count() == Nodes.Count;
    }

    private static string Border(char left, char fill, char mid, char end, int[] widths) =>
        left + string.Join(mid, widths.Select(w => new string(fill, w))) + end + "\n";

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, bool[] right, char bar)
    {
        var wrapped = cells.Select((c, i) => Wrap(c, widths[i] - 2)).ToArray();
        int lines = wrapped.Max(w => w.Count);
        for (int l = 0; l < lines; l++)
        {
            sb.Append(bar);
            for (int i = 0; i < cells.Length; i++)
            {
                string text = l < wrapped[i].Count ? wrapped[i][l] : "";
                int pad = widths[i] - 2 - text.Length;
                sb.Append(' ').Append(right[i] ? new string(' ', pad) + text : text + new string(' ', pad)).Append(' ').Append(bar);
            }
            sb.Append('\n');
        }
    }

    /// <summary>Word-wraps text to a width (words longer than the width are split), as rich does in table cells.</summary>
    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            var w = word;
            while (w.Length > width)
            {
                if (current.Length > 0) { lines.Add(current.ToString()); current.Clear(); }
                lines.Add(w[..width]);
                w = w[width..];
            }
            if (current.Length > 0 && current.Length + 1 + w.Length > width) { lines.Add(current.ToString()); current.Clear(); }
            if (current.Length > 0) current.Append(' ');
            current.Append(w);
        }
        if (current.Length > 0 || lines.Count == 0) lines.Add(current.ToString());
        return lines;
    }

    /// <summary>Bytes of float32 values as Keras prints them: base 1024, two decimals ("2.47 MB").</summary>
    private static string Size(long count)
    {
        double bytes = count * 4.0;
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        foreach (var unit in units)
        {
            if (bytes / 1024 < 1) return bytes.ToString("0.00", CultureInfo.InvariantCulture) + " " + unit;
            bytes /= 1024;
        }
        return bytes.ToString("0.00", CultureInfo.InvariantCulture) + " PB";
    }
}
