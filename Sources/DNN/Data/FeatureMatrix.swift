import Foundation

/// The features of m examples, n each, kept the way their loader read them: as values (an n×m
/// `Matrix` of Double, one column per example) or as the course's bytes (m×n, one row of pixels
/// per example, each read as byte / 255, as the course's `x / 255.` does).
///
/// Bytes take an eighth of the memory of Double values. The training engine converts either form
/// straight into its own precision and layout (`write(into:exampleMajor:standardization:)`), so a
/// float32 run on pictures never holds the data as Double.
public struct FeatureMatrix: Sendable, Equatable {
    enum Storage: Sendable, Equatable {
        /// n×m, row-major: feature f of example i at f·m + i.
        case values(Matrix)
        /// m×n, row-major: feature f of example i at i·n + f, worth byte / 255.
        case bytes([UInt8])
    }

    let storage: Storage
    /// n, the features of each example.
    public let features: Int
    /// m, the examples.
    public let examples: Int

    /// Values, one column per example.
    public init(_ matrix: Matrix) {
        storage = .values(matrix)
        features = matrix.rows
        examples = matrix.cols
    }

    /// Bytes, one row of `features` per example.
    init(bytes: [UInt8], features: Int, examples: Int) {
        precondition(
            bytes.count == features * examples, "FeatureMatrix: \(bytes.count) bytes for \(features)×\(examples)")
        storage = .bytes(bytes)
        self.features = features
        self.examples = examples
    }

    /// Feature f of example i, as a Double.
    @inline(__always)
    func value(feature f: Int, example i: Int) -> Double {
        switch storage {
        case .values(let matrix): return matrix.scalars[f * examples + i]
        case .bytes(let bytes): return Double(bytes[i * features + f]) / 255
        }
    }

    /// The features as an n×m matrix of Double (a new one for bytes).
    public var matrix: Matrix {
        switch storage {
        case .values(let matrix): return matrix
        case .bytes:
            var scalars = [Double](repeating: 0, count: features * examples)
            // Example by example, so that the bytes are read in order.
            for i in 0..<examples {
                for f in 0..<features { scalars[f * examples + i] = value(feature: f, example: i) }
            }
            return Matrix(rows: features, cols: examples, scalars: scalars)
        }
    }

    /// The examples `indices`, in that order, in the same form.
    func selecting(examples indices: [Int]) -> FeatureMatrix {
        switch storage {
        case .values(let matrix):
            var scalars = [Double](repeating: 0, count: features * indices.count)
            for f in 0..<features {
                for (j, i) in indices.enumerated() { scalars[f * indices.count + j] = matrix.scalars[f * examples + i] }
            }
            return FeatureMatrix(Matrix(rows: features, cols: indices.count, scalars: scalars))
        case .bytes(let bytes):
            var selected = [UInt8]()
            selected.reserveCapacity(features * indices.count)
            for i in indices { selected += bytes[i * features..<(i + 1) * features] }
            return FeatureMatrix(bytes: selected, features: features, examples: indices.count)
        }
    }

    /// The examples `range` as an n×range.count matrix of Double: a block for prediction, so that
    /// large data is never widened whole.
    func matrix(examples range: Range<Int>) -> Matrix {
        if range == 0..<examples, case .values(let matrix) = storage { return matrix }
        return selecting(examples: Array(range)).matrix
    }

    /// Writes every value, standardised when `standardization` is given ((x − mean) / scale,
    /// computed in Double as `Standardization.apply` does), converted to T, into `buffer`:
    /// feature-major (n×m, feature f of example i at f·m + i) or example-major (m×n, at i·n + f).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func write<T: BinaryFloatingPoint>(
        into buffer: UnsafeMutableBufferPointer<T>, exampleMajor: Bool, standardization: Standardization?
    ) {
        precondition(buffer.count == features * examples, "FeatureMatrix.write: the buffer's size")
        let (n, m) = (features, examples)
        @inline(__always) func converted(_ x: Double, _ f: Int) -> T {
            guard let standardization else { return T(x) }
            return T((x - standardization.mean[f]) / standardization.scale[f])
        }
        switch (storage, exampleMajor) {
        case (.values(let matrix), false):
            matrix.scalars.withUnsafeBufferPointer { source in
                for f in 0..<n {
                    for i in 0..<m { buffer[f * m + i] = converted(source[f * m + i], f) }
                }
            }
        case (.bytes(let bytes), true):
            bytes.withUnsafeBufferPointer { source in
                for i in 0..<m {
                    for f in 0..<n { buffer[i * n + f] = converted(Double(source[i * n + f]) / 255, f) }
                }
            }
        case (.bytes(let bytes), false):
            // The course's pictures (a row of bytes per example) as feature-major X: a transpose in
            // tiles, the features split between the cores. Most of its time is the kernel's,
            // faulting in each page of the new buffer at its first write; threads take their faults
            // at once.
            bytes.withUnsafeBufferPointer { source in
                let from = source.baseAddress!, to = buffer.baseAddress!, tile = 32
                func transpose(part: Int, of parts: Int) {
                    let features = nearEqualPart(part, of: parts, count: n)
                    for f0 in stride(from: features.lowerBound, to: features.upperBound, by: tile) {
                        for i0 in stride(from: 0, to: m, by: tile) {
                            for f in f0..<min(f0 + tile, features.upperBound) {
                                for i in i0..<min(i0 + tile, m) {
                                    to[f * m + i] = converted(Double(from[i * n + f]) / 255, f)
                                }
                            }
                        }
                    }
                }
                let parts = min(ProcessInfo.processInfo.activeProcessorCount, n)
                if parts > 1,
                    let runner = ParallelRunner(parts: parts, work: { _, part in transpose(part: part, of: parts) })
                {
                    runner.run(job: 0)
                } else {
                    transpose(part: 0, of: 1)
                }
            }
        default:
            // A transpose: in tiles, so that both sides are read and written a cache line at a time.
            let tile = 32
            for f0 in stride(from: 0, to: n, by: tile) {
                for i0 in stride(from: 0, to: m, by: tile) {
                    for f in f0..<min(f0 + tile, n) {
                        for i in i0..<min(i0 + tile, m) {
                            let target = exampleMajor ? i * n + f : f * m + i
                            buffer[target] = converted(value(feature: f, example: i), f)
                        }
                    }
                }
            }
        }
    }
}

extension FeatureMatrix {
    /// Whether the features are stored one row per example (the course's bytes): a block of
    /// examples is then contiguous, and is best written example-major.
    var isExampleMajor: Bool {
        if case .bytes = storage { return true }
        return false
    }

    /// Writes the examples `range`, standardised as `write` does, converted to T, into `buffer`:
    /// example-major (range.count×n, example j at j·n) for bytes, feature-major (n×range.count,
    /// feature f at f·range.count) for values, each the layout the storage reads in order.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func write<T: BinaryFloatingPoint>(
        examples range: Range<Int>, into buffer: UnsafeMutablePointer<T>, standardization: Standardization?
    ) {
        let (n, m, width) = (features, examples, range.count)
        @inline(__always) func converted(_ x: Double, _ f: Int) -> T {
            guard let standardization else { return T(x) }
            return T((x - standardization.mean[f]) / standardization.scale[f])
        }
        switch storage {
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer { source in
                for j in 0..<width {
                    let row = source.baseAddress! + (range.lowerBound + j) * n
                    for f in 0..<n { buffer[j * n + f] = converted(Double(row[f]) / 255, f) }
                }
            }
        case .values(let matrix):
            matrix.scalars.withUnsafeBufferPointer { source in
                for f in 0..<n {
                    let row = source.baseAddress! + f * m + range.lowerBound
                    for j in 0..<width { buffer[f * width + j] = converted(row[j], f) }
                }
            }
        }
    }
}
