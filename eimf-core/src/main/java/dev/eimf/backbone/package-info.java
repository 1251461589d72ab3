/**
 * Backbones: the multi-interest encoder a model uses, named in a {@link dev.eimf.backbone.BackboneConfig}.
 * The built-in ones are ComiRec-SA, ComiRec-DR and MIND; a {@link dev.eimf.backbone.Backbone} of your own,
 * registered with {@link dev.eimf.backbone.Backbones#register}, trains, saves, loads and serves like them.
 * Exceptions follow the policy of {@link dev.eimf.train}.
 */
package dev.eimf.backbone;
