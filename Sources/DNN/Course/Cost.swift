import Foundation

/// The cross-entropy cost: J = −(1/m) · Σᵢ [ y⁽ⁱ⁾·log(a⁽ⁱ⁾) + (1 − y⁽ⁱ⁾)·log(1 − a⁽ⁱ⁾) ].
///
/// Shapes: AL (the predicted probabilities) and Y (the 0/1 labels) are both 1×m; the result is a
/// plain number, as the course squeezes it.
public func computeCost(_ AL: Matrix, _ Y: Matrix) -> Double {
    requireSameShape(AL, Y, function: "computeCost")
    var total = 0.0
    for (a, y) in zip(AL.scalars, Y.scalars) {
        total += y * log(a) + (1 - y) * log(1 - a)
    }
    return -1 / Double(Y.cols) * total
}
