import Foundation

/// A floating-point type the training engine can run in: `Float` (float32) or `Double` (float64).
///
/// One generic algorithm serves both; this protocol supplies the two elementary functions it
/// needs besides BLAS, from the platform's C library.
protocol EngineScalar: BLASScalar {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
}

extension Double: EngineScalar {
    static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    static func log(_ x: Double) -> Double { Foundation.log(x) }
}

extension Float: EngineScalar {
    static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    static func log(_ x: Float) -> Float { Foundation.logf(x) }
}
