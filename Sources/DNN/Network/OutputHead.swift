/// The mathematics of an output layer and its loss: how Z[L] becomes the output, what a target
/// costs, and dZ[L], the gradient of the summed loss with respect to Z[L], which the head writes
/// itself (the engine never does).
///
/// Both heads here pair an output with its matching cross-entropy, so that dZ[L] = A[L] − onehot(Y)
/// in closed form (for one sigmoid unit, onehot(y) is y itself). Labels are class indices 0…K−1.
/// Each head writes its own engine kernels, one per precision.
public protocol OutputFunction: Sendable {
    /// Output units for K classes (one sigmoid unit for two classes; K softmax units).
    func units(classes: Int) -> Int
    /// The classes this head can tell apart with `units` output units.
    func classes(units: Int) -> Int

    /// A[L] from Z[L] (units×m).
    func probabilities(_ Z: Matrix) -> Matrix
    /// The cost J = (1/m)·Σ loss over the m columns of AL, with Y the 1×m labels.
    func cost(_ AL: Matrix, _ Y: Matrix) -> Double
    /// dZ[L] for the step-by-step functions, from AL, Y and the cache Z[L].
    func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix
    /// The predicted class of each column of AL.
    func predictedClasses(_ AL: Matrix) -> [Int]
    /// The ONNX operator of the output, on an N×units input (examples in rows).
    var onnxOperator: ONNXOperator { get }

    /// A = output(Z + b) in place over units×cols (row k at `values + k·stride`): prediction.
    func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int)
    /// The same in float32.
    func activate(_ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int)

    /// Training: A = output(Z + b) in place as `activate` does, the loss summed over the columns
    /// (in Double), and dZ = ∂(summed loss)/∂Z into `gradient` (units×cols, row stride `stride`).
    /// `targets` holds the columns' targets, row r at `targets + r·targetStride` (one row of class
    /// indices for these heads).
    func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, gradient: UnsafeMutablePointer<Double>
    ) -> Double
    /// The same in float32 (the loss still summed in Double).
    func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, gradient: UnsafeMutablePointer<Float>
    ) -> Double
}

/// An output head by name: `sigmoid` (two classes, the course's) or `softmax` (K ≥ 3 classes).
public struct OutputHead: Sendable, NamedValue {
    /// The name the model file stores and `init(parsing:)` reads: "sigmoid" or "softmax".
    public let name: String
    /// The formulas and the engine kernels.
    public let function: any OutputFunction

    /// A head named `name` computed by `function`.
    public init(name: String, function: any OutputFunction) {
        self.name = name
        self.function = function
    }

    /// Every head by name, for the model file; `forClasses` picks one from the data.
    static let registry: [OutputHead] = [.sigmoid, .softmax]

    /// The head of `registry` named `name`; throws, naming it and the known heads, otherwise.
    public init(parsing name: String) throws {
        guard let head = Self.registry.first(where: { $0.name == name }) else {
            throw DNNError(
                "unknown output head '\(name)'; expected one of \(Self.registry.map(\.name).joined(separator: ", "))")
        }
        self = head
    }

    /// The course's sigmoid unit for two classes, softmax for three or more.
    public static func forClasses(_ classes: Int) -> OutputHead { classes <= 2 ? .sigmoid : .softmax }
}

/// A label (a class index held in a floating-point buffer) as an Int. Through Double, whose
/// conversion to Int is one instruction: the generic conversion from any BinaryFloatingPoint is
/// a library call that checks the exponent, and was a tenth of the time of small networks.
@inline(__always)
func classIndex<T: BinaryFloatingPoint>(_ label: T) -> Int { Int(Double(label)) }
