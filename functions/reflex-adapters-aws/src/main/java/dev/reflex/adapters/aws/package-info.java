package dev.reflex.adapters.aws;
