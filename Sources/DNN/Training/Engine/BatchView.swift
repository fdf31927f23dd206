/// One batch as the layer loop reads it: where layer 1's input is and how it is laid out, where
/// its targets are, and which examples it holds.
///
/// The input is X's columns (feature-major n0×m, row stride m) for a full batch, or a gathered
/// mini-batch (example-major width×n0, row stride n0, read transposed). The targets are
/// rows×width (one class index per example, or k values / indicators) with row stride
/// `targetStride`. Every buffer of the workspace holds the batch with row stride `width`.
struct BatchView<Scalar: EngineScalar> {
    let input: UnsafeMutablePointer<Scalar>
    let inputStride: Int
    let exampleMajor: Bool
    let targets: UnsafeMutablePointer<Scalar>
    let targetStride: Int
    /// The examples in this batch on this process: the columns of every buffer.
    let width: Int
    /// The examples the batch's mean loss is over: `width`, or with shards every process's.
    let gradientExamples: Int
    /// Each column's weight (row stride as the targets'), when the examples are weighted.
    let weights: UnsafeMutablePointer<Scalar>?
    /// What the batch's mean loss divides by: Σ of its weights, or its examples.
    let gradientWeight: Double
    /// Columns of X (full batch) or places in the epoch's shuffle (mini-batch), for the dual path.
    let columns: Range<Int>
    /// For a mini-batch, its examples (columns of X) in the shuffle's order; nil for a full batch.
    let examples: ArraySlice<Int>?

    /// The input of the batch's columns `part` (a range of 0..<width): pointer, row stride, and
    /// whether it holds one row per example.
    func input(part: Range<Int>) -> (pointer: UnsafeMutablePointer<Scalar>, stride: Int, exampleMajor: Bool) {
        (exampleMajor ? input + part.lowerBound * inputStride : input + part.lowerBound, inputStride, exampleMajor)
    }
}
