package dev.reflex.domain.matching;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small TF-IDF index over a handful of documents (the learned playbooks of one anomaly type),
 * scored by cosine similarity. Tokens are lower-case words and identifiers: {@code payment-api}
 * gives {@code payment-api}, {@code payment} and {@code api}, so that both the identifier and its
 * parts count.
 */
public final class TfIdfIndex {

  private static final Pattern TOKEN = Pattern.compile("[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?");
  private static final Pattern PART = Pattern.compile("[a-z0-9]+");
  private static final int MAX_TEXT = 20_000;

  private final Map<String, Map<String, Double>> vectors = new LinkedHashMap<>();
  private final Map<String, Double> idf = new HashMap<>();

  /** @param documents document id to text, e.g. playbook id to its evidence, title and description */
  public TfIdfIndex(Map<String, String> documents) {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    Map<String, Integer> documentFrequency = new HashMap<>();
    documents.forEach((id, text) -> {
      Map<String, Integer> tf = termCounts(text);
      counts.put(id, tf);
      tf.keySet().forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
    });
    int n = documents.size();
    documentFrequency.forEach((term, df) -> idf.put(term, Math.log((1.0 + n) / (1.0 + df)) + 1.0));
    counts.forEach((id, tf) -> vectors.put(id, weigh(tf)));
  }

  /** Lower-case words and identifiers of {@code text}, in order, with repeats. */
  public static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    if (text == null) {
      return tokens;
    }
    String folded = Normalizer.normalize(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text,
        Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
    Matcher matcher = TOKEN.matcher(folded);
    while (matcher.find()) {
      String token = matcher.group();
      tokens.add(token);
      if (token.indexOf('-') >= 0 || token.indexOf('.') >= 0 || token.indexOf('_') >= 0) {
        Matcher part = PART.matcher(token);
        while (part.find()) {
          tokens.add(part.group());
        }
      }
    }
    return tokens;
  }

  /** Cosine similarity in [0, 1] between {@code query} and document {@code id}; 0 for an unknown id. */
  public double similarity(String query, String id) {
    Map<String, Double> document = vectors.get(id);
    if (document == null) {
      return 0;
    }
    return cosine(weigh(termCounts(query)), document);
  }

  /** Similarity of {@code query} to every document, in index order. */
  public Map<String, Double> scores(String query) {
    Map<String, Double> q = weigh(termCounts(query));
    Map<String, Double> result = new LinkedHashMap<>();
    vectors.forEach((id, document) -> result.put(id, cosine(q, document)));
    return result;
  }

  private static Map<String, Integer> termCounts(String text) {
    Map<String, Integer> tf = new HashMap<>();
    tokenize(text).forEach(token -> tf.merge(token, 1, Integer::sum));
    return tf;
  }

  /** Terms unknown to the corpus are dropped: they cannot be shared with any document. */
  private Map<String, Double> weigh(Map<String, Integer> tf) {
    Map<String, Double> vector = new HashMap<>();
    tf.forEach((term, count) -> {
      Double weight = idf.get(term);
      if (weight != null) {
        vector.put(term, (1.0 + Math.log(count)) * weight);
      }
    });
    return vector;
  }

  private static double cosine(Map<String, Double> a, Map<String, Double> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    double dot = 0;
    for (Map.Entry<String, Double> entry : a.entrySet()) {
      Double other = b.get(entry.getKey());
      if (other != null) {
        dot += entry.getValue() * other;
      }
    }
    double norms = norm(a) * norm(b);
    return norms == 0 ? 0 : Math.min(1.0, dot / norms);
  }

  private static double norm(Map<String, Double> vector) {
    double sum = 0;
    for (double value : vector.values()) {
      sum += value * value;
    }
    return Math.sqrt(sum);
  }
}
