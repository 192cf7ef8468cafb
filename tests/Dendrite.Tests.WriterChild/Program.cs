// Starts an atomic write of args[0], writes some bytes into the temporary file, prints "writing" and then waits
// forever inside the write: the test ends this process with a signal and checks what is left in the directory.
using Dendrite.Data;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Dendrite.Tests.WriterChild <target file>");
    return 2;
}
AtomicFile.Write(args[0], s =>
{
    s.Write(new byte[4096]);
    s.Flush();
    Console.Out.WriteLine("writing");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite);
});
return 0;
