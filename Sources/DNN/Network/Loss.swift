/// The mathematics of a network's output layer and its loss: how Z[L] becomes the output A[L],
/// what a target costs, and dZ[L] = ∂(summed loss)/∂Z[L], which the loss writes itself (the
/// engine never does).
///
/// Each loss here pairs an output with the loss whose gradient through it is A[L] − Y in closed
/// form: sigmoid and binary cross-entropy (two classes, or independent labels), softmax and
/// categorical cross-entropy (K ≥ 3 classes; Y then holds class indices), the identity and the
/// squared error (regression). Each writes its own engine kernels, one per precision.
///
/// Adding a loss: one file with a type conforming to this protocol and a static member of `Loss`
/// naming it, and one line in `Loss.registry` (the model file reads names from there).
public protocol LossFunction: Sendable {
    /// Rows of the targets for `units` outputs: 1 when they are class indices, else `units` (a
    /// value or a 0/1 indicator per output).
    func targetRows(units: Int) -> Int
    /// Throws unless a network may end in `units` outputs with this loss.
    func validate(units: Int) throws

    /// A[L] from Z[L] (units×m): probabilities, or the values themselves.
    func output(_ Z: Matrix) -> Matrix
    /// The cost J = (1/m)·Σ loss over the m columns of AL, with Y the targets (targetRows×m).
    func cost(_ AL: Matrix, _ Y: Matrix) -> Double
    /// Each column's loss (m values): what `cost` averages.
    func losses(_ AL: Matrix, _ Y: Matrix) -> [Double]
    /// dZ[L] for the step-by-step functions, from AL, Y and the cache Z[L].
    func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix
    /// The ONNX operator of the output, on an N×units input (examples in rows); nil for none.
    var onnxOperator: ONNXOperator? { get }

    /// A = output(Z + b) in place over units×cols (row k at `values + k·stride`): prediction.
    func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int)
    /// The same in float32.
    func activate(_ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int)

    /// Training: A = output(Z + b) in place as `activate` does, the loss summed over the columns
    /// (in Double), and dZ = ∂(summed loss)/∂Z into `gradient` (units×cols, row stride `stride`).
    /// `targets` holds the columns' targets, row r at `targets + r·targetStride`. With `weights`
    /// (one per column), column j's loss and dZ are multiplied by w_j: the summed loss is Σ w·loss.
    func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, weights: UnsafePointer<Double>?,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double
    /// The same in float32 (the loss still summed in Double).
    func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, weights: UnsafePointer<Float>?,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double
}

extension LossFunction {
    /// The weighted mean loss Σ wᵢ·lossᵢ / Σ wᵢ (scikit-learn's `sample_weight`); the plain mean
    /// without weights.
    public func cost(_ AL: Matrix, _ Y: Matrix, weights: [Double]?) -> Double {
        guard let weights else { return cost(AL, Y) }
        let losses = losses(AL, Y)
        return zip(losses, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
    }
}

/// A network's output and loss by name: `sigmoid` (sigmoid units, binary cross-entropy: two classes,
/// the course's, or independent labels), `softmax` (K ≥ 3 classes), `squared-error` (regression).
public struct Loss: Sendable, NamedValue {
    /// The name the model file stores and `init(parsing:)` reads.
    public let name: String
    /// The formulas and the engine kernels.
    public let function: any LossFunction

    /// A loss named `name` computed by `function`.
    public init(name: String, function: any LossFunction) {
        self.name = name
        self.function = function
    }

    /// Every loss by name, for the model file.
    static let registry: [Loss] = [.sigmoid, .softmax, .squaredError]

    /// The loss of `registry` named `name`; throws, naming it and the known losses, otherwise.
    public init(parsing name: String) throws {
        guard let loss = Self.registry.first(where: { $0.name == name }) else {
            throw DNNError(
                "unknown loss '\(elided(name))'; expected one of \(Self.registry.map(\.name).joined(separator: ", "))")
        }
        self = loss
    }

    /// The course's sigmoid unit for two classes, softmax for three or more.
    public static func forClasses(_ classes: Int) -> Loss { classes <= 2 ? .sigmoid : .softmax }
}

/// The course's name for a network's output layer and its loss, kept for the step functions'
/// `head:` arguments.
public typealias OutputHead = Loss

/// A label (a class index held in a floating-point buffer) as an Int. Through Double, whose
/// conversion to Int is one instruction: the generic conversion from any BinaryFloatingPoint is
/// a library call that checks the exponent, and was a tenth of the time of small networks.
@inline(__always)
func classIndex<T: BinaryFloatingPoint>(_ label: T) -> Int { Int(Double(label)) }
