using System.Security.Cryptography;
using Simulator.Reporting.Output;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Output;

public class DropBehindFileTests
{
    [Test]
    public void Write_MoreThanTwoWindowsInUnevenPieces_FileHoldsExactlyTheBytesWritten()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "big.csv");
        var rng = new Random(8);
        var piece = new byte[3 * 1024 * 1024 + 17];
        rng.NextBytes(piece);
        long total = 0;
        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = new DropBehindFile(path))
        {
            while (total < 2 * DropBehindFile.Window + 5_000_000)
            {
                int length = 1 + rng.Next(piece.Length);
                file.Write(piece, 0, length);
                expected.AppendData(piece, 0, length);
                total += length;
                Assert.That(file.Position, Is.EqualTo(total));
            }
        }
        Assert.That(new FileInfo(path).Length, Is.EqualTo(total));
        using var stream = File.OpenRead(path);
        Assert.That(SHA256.HashData(stream), Is.EqualTo(expected.GetHashAndReset()));
    }
}
