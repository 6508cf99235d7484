using MathNet.Numerics.LinearAlgebra;

namespace Simulator.Core.Fitting;

/// <summary>
/// Gauss–Hermite quadrature for a standard normal weight: E[f(Z)] ≈ Σ wᵢ f(xᵢ), exact for polynomials of degree
/// &lt; 2n. Nodes and weights by Golub–Welsch: the eigenvalues of the Jacobi matrix of the (probabilists') Hermite
/// polynomials, off-diagonal √k, and the squared first components of its eigenvectors (MathNet's symmetric
/// eigen-decomposition; MathNet has no Gauss–Hermite rule of its own).
/// </summary>
public sealed class GaussHermite
{
    /// <summary>The nodes, ascending.</summary>
    public double[] Nodes { get; }

    /// <summary>The weights, summing to 1.</summary>
    public double[] Weights { get; }

    /// <summary>The rule of <paramref name="n"/> points.</summary>
    public GaussHermite(int n)
    {
        var jacobi = Matrix<double>.Build.Dense(n, n);
        for (int k = 1; k < n; k++) jacobi[k, k - 1] = jacobi[k - 1, k] = Math.Sqrt(k);
        var evd = jacobi.Evd(Symmetricity.Symmetric);
        Nodes = new double[n];
        Weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            Nodes[i] = evd.EigenValues[i].Real;
            double v = evd.EigenVectors[0, i];
            Weights[i] = v * v;
        }
        Array.Sort(Nodes, Weights);
    }
}
