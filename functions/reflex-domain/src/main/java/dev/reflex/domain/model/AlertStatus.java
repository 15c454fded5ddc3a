package dev.reflex.domain.model;

public enum AlertStatus {
  FIRING,
  RESOLVED
}
