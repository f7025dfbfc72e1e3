package io.monitml.stats;

/** Multiple-testing correction across the features of one unit (or the columns of a data set). */
public enum Correction {
    /** Family-wise error rate: drift when p < alpha / m (alibi-detect's default). */
    BONFERRONI,
    /** False-discovery rate, Benjamini-Hochberg. */
    FDR,
    /** Each test at alpha. */
    NONE
}
