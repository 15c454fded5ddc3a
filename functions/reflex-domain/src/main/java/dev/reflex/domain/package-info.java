package dev.reflex.domain;
