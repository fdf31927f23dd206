/// The cross-entropy cost: J = −(1/m) · Σᵢ [ y⁽ⁱ⁾·log(a⁽ⁱ⁾) + (1 − y⁽ⁱ⁾)·log(1 − a⁽ⁱ⁾) ], the
/// course's `compute_cost`; with `head: .softmax`, J = −(1/m)·Σᵢ log AL[y⁽ⁱ⁾, i].
///
/// Shapes: AL (the predicted probabilities) is 1×m (K×m for softmax) and Y (the labels) 1×m; the
/// result is a plain number, as the course squeezes it.
public func computeCost(_ AL: Matrix, _ Y: Matrix, head: OutputHead = .sigmoid) -> Double {
    if head == .sigmoid {
        requireSameShape(AL, Y, function: "computeCost")
    } else {
        requireValid(
            Y.rows == 1 && Y.cols == AL.cols,
            "computeCost: labels of shape \(Y.shapeDescription) do not match AL \(AL.shapeDescription)")
    }
    return head.function.cost(AL, Y)
}
