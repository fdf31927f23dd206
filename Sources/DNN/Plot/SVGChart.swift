import Foundation

/// The frame every plot shares: a plot area with two linear axes, ticks at round numbers, axis
/// labels and a title, drawn as SVG. A plot adds its marks inside, through `x(_:)` and `y(_:)`.
struct SVGChart {
    let width = 640.0
    let height = 440.0
    let left = 72.0, right = 24.0, top = 44.0, bottom = 56.0
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let title: String
    let xLabel: String
    let yLabel: String

    /// A chart whose axes cover `xData` and `yData`, widened to round tick values.
    init(xData: ClosedRange<Double>, yData: ClosedRange<Double>, title: String, xLabel: String, yLabel: String) {
        xRange = Self.niceRange(xData)
        yRange = Self.niceRange(yData)
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    var areaWidth: Double { width - left - right }
    var areaHeight: Double { height - top - bottom }

    /// The horizontal pixel of data value `value`.
    func x(_ value: Double) -> Double {
        left + Self.fraction(value - xRange.lowerBound, of: xRange) * areaWidth
    }

    /// The vertical pixel of data value `value` (up is larger).
    func y(_ value: Double) -> Double {
        top + Self.fraction(yRange.upperBound - value, of: yRange) * areaHeight
    }

    /// `offset` as a fraction of `range`'s span, computed on halves: near ±1.8e308 the span
    /// itself overflows to inf, and inf/inf would be NaN.
    private static func fraction(_ offset: Double, of range: ClosedRange<Double>) -> Double {
        let span = range.upperBound / 2 - range.lowerBound / 2
        guard span > 0 else { return 0.5 }
        let half = offset.isFinite ? offset / 2 : (offset > 0 ? span : -span)
        return half / span
    }

    /// The whole SVG document around `marks` (SVG elements drawn inside the plot area).
    func document(marks: String) -> String {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15">\(escapeXML(title))</text>

            """
        // The plot area records its data ranges, so a reader (or a test) can map pixels back to values.
        svg += """
            <g class="plot-area" data-x-min="\(xRange.lowerBound)" data-x-max="\(xRange.upperBound)" \
            data-y-min="\(yRange.lowerBound)" data-y-max="\(yRange.upperBound)" data-left="\(left)" data-top="\(top)" \
            data-width="\(areaWidth)" data-height="\(areaHeight)">
            <clipPath id="area"><rect x="\(f(left))" y="\(f(top))" width="\(f(areaWidth))" height="\(f(areaHeight))"/></clipPath>
            <g clip-path="url(#area)">
            \(marks)</g>
            </g>

            """
        svg += axes()
        return svg + "</svg>\n"
    }

    private func axes() -> String {
        var svg = "<g class=\"axes\" stroke=\"#333\" fill=\"none\">\n"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(areaWidth))\" height=\"\(f(areaHeight))\"/>\n"
        for value in Self.ticks(xRange) {
            svg +=
                "<line x1=\"\(f(x(value)))\" y1=\"\(f(top + areaHeight))\" x2=\"\(f(x(value)))\" y2=\"\(f(top + areaHeight + 5))\"/>\n"
        }
        for value in Self.ticks(yRange) {
            svg += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y(value)))\" x2=\"\(f(left))\" y2=\"\(f(y(value)))\"/>\n"
        }
        svg += "</g>\n<g class=\"tick-labels\" fill=\"#333\">\n"
        for value in Self.ticks(xRange) {
            svg +=
                "<text x=\"\(f(x(value)))\" y=\"\(f(top + areaHeight + 19))\" text-anchor=\"middle\">\(Self.label(value))</text>\n"
        }
        for value in Self.ticks(yRange) {
            svg +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(Self.label(value))</text>\n"
        }
        svg += "</g>\n"
        svg +=
            "<text x=\"\(f(left + areaWidth / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">\(escapeXML(xLabel))</text>\n"
        svg +=
            "<text transform=\"translate(18 \(f(top + areaHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeXML(yLabel))</text>\n"
        return svg
    }

    /// A step of 1, 2 or 5 times a power of ten giving about six ticks over `range`.
    static func tickStep(_ range: ClosedRange<Double>) -> Double {
        // Halves first: the span of values near ±1.8e308 would overflow to inf.
        let span = max((range.upperBound / 2 - range.lowerBound / 2) * 2, 1e-12)
        let raw = span / 6
        let power = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / power
        return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power
    }

    /// `range` widened outwards to whole tick steps (a single value gets room around it).
    static func niceRange(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return 0...1 }
        let widened = range.upperBound > range.lowerBound ? range : (range.lowerBound - 0.5)...(range.upperBound + 0.5)
        let step = tickStep(widened)
        let (low, high) = (
            (widened.lowerBound / step).rounded(.down) * step, (widened.upperBound / step).rounded(.up) * step
        )
        // Near the largest doubles the rounded ends can overflow: keep the data's own range then.
        return low.isFinite && high.isFinite && low <= high ? low...high : widened
    }

    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let step = tickStep(range)
        let first = (range.lowerBound / step).rounded(.up)
        let last = (range.upperBound / step).rounded(.down)
        guard step.isFinite, first.isFinite, last.isFinite, first <= last, last - first <= 100 else { return [] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// A tick value with no more digits than it needs: 0.25, 1000, 0.6.
    static func label(_ value: Double) -> String {
        guard abs(value) < 1e15 else { return String(format: "%.3g", value) }
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A coordinate with two decimals: enough for a screen, short in the file. A coordinate is never
/// written as nan or inf, which no SVG reader takes: far outside the picture instead.
func f(_ value: Double) -> String {
    String(format: "%.2f", value.isNaN ? -1e6 : min(max(value, -1e6), 1e6))
}
