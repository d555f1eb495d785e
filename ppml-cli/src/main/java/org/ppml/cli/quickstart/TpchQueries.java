package org.ppml.cli.quickstart;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TPC-H Q1, Q3 and Q6 over {@code {lineitem}} and {@code {orders}} placeholders, so one text runs
 * over the encrypted and the plaintext tables. Q3 reads the market segment from {@code orders} (see
 * {@link TpchData}).
 */
final class TpchQueries {
  private TpchQueries() {}

  static Map<String, String> all() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put(
        "Q1",
        "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price, "
            + "sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, "
            + "sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, avg(l_quantity) AS avg_qty, "
            + "avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order "
            + "FROM {lineitem} WHERE l_shipdate <= date '1998-09-02' "
            + "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus");
    q.put(
        "Q3",
        "SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority "
            + "FROM {orders} JOIN {lineitem} ON l_orderkey = o_orderkey "
            + "WHERE o_mktsegment = 'BUILDING' AND o_orderdate < date '1995-03-15' AND l_shipdate > date '1995-03-15' "
            + "GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate, l_orderkey LIMIT 10");
    q.put(
        "Q6",
        "SELECT sum(l_extendedprice * l_discount) AS revenue FROM {lineitem} "
            + "WHERE l_shipdate >= date '1994-01-01' AND l_shipdate < date '1995-01-01' "
            + "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24");
    return q;
  }

  static String on(String sql, String lineitem, String orders) {
    return sql.replace("{lineitem}", lineitem).replace("{orders}", orders);
  }
}
