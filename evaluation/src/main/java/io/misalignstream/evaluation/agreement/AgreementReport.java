package io.misalignstream.evaluation.agreement;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rater-agreement figures of a ratings table, named as they are written in JSON. Each value is {@code null}
 * when it cannot be computed: the ICCs without a complete block of at least 2 items × 2 raters or with a zero
 * denominator, DS and DPD without groups, EOD without groups or gold labels.
 *
 * @param icc1   ICC(1,1), see {@link IntraclassCorrelation}
 * @param icc2   ICC(2,1), the one to report by default
 * @param icc3   ICC(3,1)
 * @param icc1k  ICC(1,k)
 * @param icc2k  ICC(2,k)
 * @param icc3k  ICC(3,k)
 * @param ds     demographic sensitivity, see {@link DemographicDisparity}
 * @param dpd    demographic parity difference
 * @param eod    equalized odds difference
 * @param items  n: items in the complete block the ICCs are computed on (see {@link RatingMatrix})
 * @param raters k: raters in that block
 */
public record AgreementReport(Double icc1, Double icc2, Double icc3, Double icc1k, Double icc2k, Double icc3k,
                              Double ds, Double dpd, Double eod, int items, int raters) {

    /** The figures of a table without gold labels: EOD is {@code null}. */
    public static AgreementReport of(RatingsTable table) {
        return of(table, Map.of());
    }

    /** @param gold item → true when the item is unsafe, for EOD; {@code null} or empty when there is none */
    public static AgreementReport of(RatingsTable table, Map<String, Boolean> gold) {
        RatingMatrix block = RatingMatrix.completeBlock(table);
        Double ds = value(DemographicDisparity.sensitivity(table));
        Double dpd = value(DemographicDisparity.parityDifference(table));
        Double eod = value(DemographicDisparity.equalizedOddsDifference(table, gold));
        if (block.items().size() < 2) {
            return new AgreementReport(null, null, null, null, null, null, ds, dpd, eod, 0, 0);
        }
        IntraclassCorrelation icc = IntraclassCorrelation.of(block);
        return new AgreementReport(value(icc.icc1()), value(icc.icc2()), value(icc.icc3()), value(icc.icc1k()),
                value(icc.icc2k()), value(icc.icc3k()), ds, dpd, eod, block.items().size(), block.raters().size());
    }

    private static Double value(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value(value.getAsDouble()) : null;
    }
}
