package dev.reflex.adapters.pullrequests;
