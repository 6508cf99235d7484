namespace Simulator.Core.Statistics;

/// <summary>
/// Where a value falls among sorted, distinct points, as <see cref="Array.BinarySearch{T}(T[], T)"/> answers
/// it (the index of an equal point, else the complement of the first greater one) but in a few steps rather than
/// log₂ of the points: the span of the points is cut into equal buckets, each remembering the first point not in a
/// lower bucket, and the search only walks the points of the value's bucket. The bucket of a value is a monotone
/// function of it, so the walk starts at or before the answer and ends at or before the next bucket's first point:
/// the result is exact whatever the rounding of the bucket arithmetic.
/// </summary>
internal sealed class PointIndex
{
    private readonly double[] _points; // followed by +∞, so a walk needs no bound check
    private readonly int[] _first;
    private readonly double _low, _scale;
    private readonly int _lastBucket, _count;

    /// <param name="points">Sorted ascending, distinct, no NaN.</param>
    public PointIndex(double[] points)
    {
        int m = points.Length;
        _count = m;
        _points = [.. points, double.PositiveInfinity];
        _low = m > 0 ? points[0] : 0;
        double high = m > 0 ? points[^1] : 0;
        // About eight buckets a point: with evenly spread points most buckets hold none or one.
        int buckets = Math.Max(1, 8 * m);
        _lastBucket = buckets - 1;
        _scale = high > _low && double.IsFinite(high - _low) ? buckets / (high - _low) : 0;
        _first = new int[buckets];
        int next = 0;
        for (int b = 0; b < buckets; b++)
        {
            while (next < m && Bucket(points[next]) < b) next++;
            _first[b] = next;
        }
    }

    /// <summary>A monotone (non-decreasing) bucket of any value, NaN aside: below the first point 0, above the last the last.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Bucket(double v) => Math.Clamp((int)((v - _low) * _scale), 0, _lastBucket);

    /// <summary>The number of points below <paramref name="v"/> (not NaN), and whether one equals it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int LowerBound(double v, out bool equal)
    {
        // Every point of a lower bucket is below v and every point of a higher one above it (the bucket is monotone),
        // so the answer lies between the bucket's first point and the next bucket's.
        var points = _points;
        int i = _first[Bucket(v)];
        while (points[i] < v) i++;
        equal = points[i] == v && i < _count;
        return i;
    }

    /// <summary>The index of the point equal to <paramref name="v"/>, else the bitwise complement of the index of the
    /// first point greater than it (as <see cref="Array.BinarySearch{T}(T[], T)"/>); <paramref name="v"/> is not NaN.</summary>
    public int Search(double v)
    {
        int i = LowerBound(v, out bool equal);
        return equal ? i : ~i;
    }
}
