namespace Dendrite.Backends.Cpu.Recurrent;

internal static unsafe partial class RecurrentKernels
{
    private enum Pass { Forward, Backward, ForwardOnlyLstm }

    /// <summary>
    /// Runs one pass over the batch rows split among the lanes through a job object kept per calling thread, whose lane
    /// delegate is made once: a training step's recurrent op allocates no closures or delegates.
    /// </summary>
    private sealed class RowsJob
    {
        [ThreadStatic] private static RowsJob? t_job;

        private readonly Action<int> _body;
        private Pass _pass;
        private int _lanes, _rows;
        private RecurrentArgs? _a;
        private Sizes _s;
        private float[]? _b1, _b2, _b3, _b4;
        private Gemm.PackedPanels? _p1, _p2;

        private RowsJob() => _body = RunLane;

        public static void Run(Pass pass, RecurrentArgs a, Sizes s, int lanes, float[] b1, float[]? b2, float[]? b3, float[]? b4,
            Gemm.PackedPanels? p1 = null, Gemm.PackedPanels? p2 = null)
        {
            var job = t_job ?? new RowsJob();
            t_job = null; // taken (a lane that reached here again gets its own)
            (job._pass, job._a, job._s, job._lanes, job._rows) = (pass, a, s, lanes, s.N);
            (job._b1, job._b2, job._b3, job._b4, job._p1, job._p2) = (b1, b2, b3, b4, p1, p2);
            try
            {
                if (lanes <= 1) job.RunLane(0);
                else Backend.Current.RunLanes(lanes, job._body);
            }
            finally
            {
                (job._a, job._b1, job._b2, job._b3, job._b4, job._p1, job._p2) = (null, null, null, null, null, null, null);
                t_job = job;
            }
        }

        private void RunLane(int lane)
        {
            int r0 = (int)((long)_rows * lane / _lanes), r1 = (int)((long)_rows * (lane + 1) / _lanes);
            var a = _a!;
            switch (_pass)
            {
                case Pass.Forward: ForwardRows(a, _s, r0, r1, _b1!, _b2!); break;
                case Pass.Backward: BackwardRows(a, _s, r0, r1, _b1!, _b2, _b3!, _b4!); break;
                default: LstmForwardOnlyRows(a, _s, r0, r1, _p1, _p2, _b1!, _b2!, _b3!, _b4!); break;
            }
        }
    }
}
